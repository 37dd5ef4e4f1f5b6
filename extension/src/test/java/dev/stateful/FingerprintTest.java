package dev.stateful;

import dev.stateful.error.StatefulException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.DatabaseFingerprint.TableFingerprint;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DatabaseFingerprint} against a real server: one container for the class. */
@StartedHandles
class FingerprintTest {
    private static final String EMPTY_HASH = "d41d8cd98f00b204e9800998ecf8427e";

    @Started
    private static StatefulPostgres db;

    @BeforeEach
    void dropUserSchemas() throws SQLException {
        Sql.run(db, Sql.DROP_USER_SCHEMAS);
    }

    @Test
    void emptyDatabaseHasNoTables() {
        assertThat(db.fingerprint().tables()).isEmpty();
    }

    @Test
    void coversTablesOfEverySchemaButNotViewsOrTemporaryTables() throws SQLException {
        Sql.run(db, "CREATE SCHEMA app",
                "CREATE TABLE public.orders (id int PRIMARY KEY, total numeric)",
                "INSERT INTO public.orders VALUES (1, 9.5), (2, 3), (3, NULL)",
                "CREATE TABLE app.items (id int)",
                "CREATE TABLE public.flyway_schema_history (installed_rank int, version text)",
                "INSERT INTO public.flyway_schema_history VALUES (1, '1')",
                "CREATE VIEW public.order_view AS SELECT * FROM public.orders",
                "CREATE MATERIALIZED VIEW public.order_mv AS SELECT * FROM public.orders",
                "CREATE SEQUENCE public.counter");
        DatabaseFingerprint f;
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE scratch (id int)");
            st.execute("INSERT INTO scratch VALUES (1)");
            f = DatabaseFingerprint.of(c);
        }

        assertThat(f.tables().keySet())
                .containsExactly("app.items", "public.flyway_schema_history", "public.orders");
        assertThat(f.tables().get("public.orders").rows()).isEqualTo(3);
        assertThat(f.tables().get("public.flyway_schema_history").rows()).isEqualTo(1);
        assertThat(f.tables().get("app.items")).isEqualTo(new TableFingerprint(0, EMPTY_HASH));
    }

    @Test
    void handleAndConnectionGiveTheSameFingerprint() throws SQLException {
        Sql.run(db, "CREATE TABLE t (id int, name text)", "INSERT INTO t VALUES (1, 'a'), (2, NULL)");

        DatabaseFingerprint viaConnection;
        try (Connection c = db.connection()) {
            viaConnection = DatabaseFingerprint.of(c);
        }

        assertThat(db.fingerprint()).isEqualTo(viaConnection);
        assertThat(DatabaseFingerprint.of(db)).isEqualTo(viaConnection);
    }

    @Test
    void hashIgnoresRowOrderButSeesEveryValue() throws SQLException {
        Sql.run(db, "CREATE TABLE a (id int, name text)", "CREATE TABLE b (id int, name text)",
                "INSERT INTO a VALUES (1, 'x'), (2, 'y'), (3, NULL)",
                "INSERT INTO b VALUES (3, NULL), (1, 'x')", "INSERT INTO b VALUES (2, 'y')");
        DatabaseFingerprint first = db.fingerprint();

        assertThat(first.tables().get("public.a")).isEqualTo(first.tables().get("public.b"));

        Sql.run(db, "UPDATE b SET name = 'z' WHERE id = 2");
        DatabaseFingerprint second = db.fingerprint();

        assertThat(second.tables().get("public.b").rows()).isEqualTo(3);
        assertThat(second.tables().get("public.b").hash()).isNotEqualTo(first.tables().get("public.b").hash());
        assertThat(first.diff(second)).containsExactly("public.b: same row count (3) but content changed");
    }

    @Test
    void aColumnNamedTDoesNotHideTheOtherColumns() throws SQLException {
        Sql.run(db, "CREATE TABLE q1 (t int, u int)", "CREATE TABLE q2 (t int, u int)",
                "INSERT INTO q1 VALUES (1, 1)", "INSERT INTO q2 VALUES (1, 2)");

        DatabaseFingerprint f = db.fingerprint();

        assertThat(f.tables().get("public.q1").hash()).isNotEqualTo(f.tables().get("public.q2").hash());
    }

    @Test
    void diffReportsRowsAddedAndTablesDroppedByRealStatements() throws SQLException {
        Sql.run(db, "CREATE TABLE orders (id int)", "CREATE TABLE tmp (id int)",
                "INSERT INTO orders VALUES (1), (2), (3)", "INSERT INTO tmp VALUES (1), (2)");
        DatabaseFingerprint before = db.fingerprint();

        Sql.run(db, "DELETE FROM orders WHERE id = 3", "DROP TABLE tmp", "CREATE TABLE audit (id int)",
                "INSERT INTO audit VALUES (1)");

        assertThat(before.diff(db.fingerprint())).containsExactly(
                "public.audit: table added (1 row)",
                "public.orders: rows 3 -> 2",
                "public.tmp: table removed (had 2 rows)");
    }

    @Test
    void quotesOddSchemaAndTableNames() throws SQLException {
        Sql.run(db, "CREATE SCHEMA \"My \"\"Schema\"\"\"", "CREATE TABLE \"My \"\"Schema\"\"\".\"Order.Items\" (id int)",
                "INSERT INTO \"My \"\"Schema\"\"\".\"Order.Items\" VALUES (1), (2)");

        assertThat(db.fingerprint().tables()).containsOnlyKeys("My \"Schema\".Order.Items");
        assertThat(db.fingerprint().tables().get("My \"Schema\".Order.Items").rows()).isEqualTo(2);
    }

    @Test
    void partitionedTableCountsItsPartitionsAndAParentOnlyItsOwnRows() throws SQLException {
        Sql.run(db, "CREATE TABLE events (id int, kind text) PARTITION BY LIST (kind)",
                "CREATE TABLE events_a PARTITION OF events FOR VALUES IN ('a')",
                "CREATE TABLE events_b PARTITION OF events FOR VALUES IN ('b')",
                "INSERT INTO events VALUES (1, 'a'), (2, 'a'), (3, 'b')",
                "CREATE TABLE base (id int)", "CREATE TABLE child () INHERITS (base)",
                "INSERT INTO base VALUES (1)", "INSERT INTO child VALUES (2), (3)");

        DatabaseFingerprint f = db.fingerprint();

        assertThat(f.tables().get("public.events").rows()).isEqualTo(3);
        assertThat(f.tables().get("public.events_a").rows()).isEqualTo(2);
        assertThat(f.tables().get("public.events_b").rows()).isEqualTo(1);
        assertThat(f.tables().get("public.base").rows()).isEqualTo(1);
        assertThat(f.tables().get("public.child").rows()).isEqualTo(2);
    }

    @Test
    void sqlFailureBecomesStatefulExceptionWithTheServerMessage() throws SQLException {
        Connection closed = db.connection();
        closed.close();

        assertThatThrownBy(() -> DatabaseFingerprint.of(closed))
                .isInstanceOf(StatefulException.class)
                .hasMessageContaining("Could not take a fingerprint of the database")
                .hasMessageContaining("closed")
                .hasCauseInstanceOf(SQLException.class);
    }
}
