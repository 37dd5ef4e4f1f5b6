package dev.stateful.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.snapshot.SnapshotStore;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The reset puts back a big table that a test wrote a few rows of row by row (not the whole
 * table, not the whole database), whatever its key looks like. With the keys from logical
 * decoding (the default) a changed key and deleted rows are put back by key too; without them
 * (the scan of rows written since the mark) a changed key needs a clone and a table with
 * deleted rows is copied whole.
 */
@StartedHandles
// The tests without decoding come last: switching it off and on again leaves keys the next reset checks.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RowByRowResetTest {
    @Started
    private static StatefulPostgres db;

    @BeforeAll
    static void bigTables() throws SQLException {
        Sql.run(db, """
                CREATE TABLE orders (id bigint PRIMARY KEY, customer int, status text, pad text);
                INSERT INTO orders SELECT g, g % 1000, 'open', repeat('x', 100) FROM generate_series(1, 200000) g;
                CREATE TABLE tagged (kind text, code text, v int, PRIMARY KEY (kind, code));
                INSERT INTO tagged SELECT k, 'c' || g, g
                  FROM unnest(ARRAY['a', 'b''c', 'd"e', 'f\\\\g', '{h,i}', 'j k']) k, generate_series(1, 40) g;
                CREATE TABLE small (id int PRIMARY KEY, v int);
                INSERT INTO small SELECT g, g FROM generate_series(1, 10) g;
                """);
        db.snapshot("base");
    }

    private static SnapshotStore store() {
        return (SnapshotStore) db.snapshots();
    }

    private static DatabaseFingerprint fingerprint() throws SQLException {
        try (Connection c = db.connection()) {
            return DatabaseFingerprint.of(c);
        }
    }

    @Test
    @Order(1)
    void aFewRowsWrittenToABigTableArePutBackRowByRow() throws SQLException {
        DatabaseFingerprint baseline = fingerprint();
        long before = store().rowByRowTables();
        Sql.run(db, "INSERT INTO orders VALUES (200001, 7, 'new', 'y')",
                "UPDATE orders SET status = 'paid' WHERE id IN (5, 50000, 199999)",
                "UPDATE tagged SET v = -1 WHERE kind IN ('b''c', 'd\"e', 'f\\g', '{h,i}', 'j k') AND code = 'c3'",
                "INSERT INTO tagged VALUES ('b''c', 'new', 0)");

        db.restore("base");

        assertThat(store().lastPath()).isEqualTo(SnapshotStore.Path.TABLES);
        assertThat(store().rowByRowTables() - before).as("tables put back row by row").isEqualTo(2);
        assertThat(fingerprint().diff(baseline)).isEmpty();
        assertThat(Sql.text(db, "SELECT count(*) FILTER (WHERE status = 'open') || '/' || count(*) FROM orders"))
                .isEqualTo("200000/200000");
    }

    @Test
    @Order(2)
    void aKeyChangedByAnUpdateIsPutBackByItsDecodedKeys() throws SQLException {
        DatabaseFingerprint baseline = fingerprint();
        Sql.run(db, "UPDATE orders SET id = 900000 WHERE id = 42");

        db.restore("base");

        assertThat(store().lastPath()).isEqualTo(SnapshotStore.Path.TABLES);
        assertThat(fingerprint().diff(baseline)).isEmpty();
        assertThat(Sql.text(db, "SELECT count(*) FROM orders WHERE id = 42")).isEqualTo("1");
    }

    @Test
    @Order(4)
    void withoutDecodingAKeyChangedByAnUpdateIsNotUndoneRowByRowButByAClone() throws SQLException {
        withoutDecoding(() -> {
            DatabaseFingerprint baseline = fingerprint();
            Sql.run(db, "UPDATE orders SET id = 900000 WHERE id = 42");

            db.restore("base");

            assertThat(store().lastPath()).isIn(SnapshotStore.Path.POOLED_CLONE, SnapshotStore.Path.COPY);
            assertThat(fingerprint().diff(baseline)).isEmpty();
            assertThat(Sql.text(db, "SELECT count(*) FROM orders WHERE id = 42")).isEqualTo("1");
        });
    }

    @Test
    @Order(3)
    void deletedRowsArePutBackByTheirDecodedKeys() throws SQLException {
        DatabaseFingerprint baseline = fingerprint();
        Sql.run(db, "DELETE FROM small WHERE id = 3", "UPDATE orders SET status = 'x' WHERE id = 1");

        db.restore("base");

        assertThat(store().lastPath()).isEqualTo(SnapshotStore.Path.TABLES);
        assertThat(fingerprint().diff(baseline)).isEmpty();
        assertThat(Sql.text(db, "SELECT count(*) FROM small WHERE id = 3")).isEqualTo("1");
    }

    @Test
    @Order(5)
    void withoutDecodingDeletedRowsAreCopiedBackWithTheirTable() throws SQLException {
        withoutDecoding(() -> {
            DatabaseFingerprint baseline = fingerprint();
            long before = store().rowByRowTables();
            Sql.run(db, "DELETE FROM small WHERE id = 3", "UPDATE orders SET status = 'x' WHERE id = 1");

            db.restore("base");

            assertThat(store().lastPath()).isEqualTo(SnapshotStore.Path.TABLES);
            assertThat(store().rowByRowTables() - before).as("orders row by row, small whole").isEqualTo(1);
            assertThat(fingerprint().diff(baseline)).isEmpty();
        });
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    /** Reset by scanning the rows written since the mark, then put the database back with decoding on. */
    private static void withoutDecoding(SqlWork work) throws SQLException {
        store().decodeChanges(false);
        try {
            // The mark is taken again without a slot: this reset and the next go by the scan.
            db.restore("base");
            work.run();
        } finally {
            store().decodeChanges(true);
            db.restore("base");
        }
    }
}
