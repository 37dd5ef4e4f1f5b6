package dev.stateful.assertj;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.StatefulPostgres;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Every assertion passing and failing against a real server: one container for the class. */
@StartedHandles
class StatefulAssertionsTest {
    private static final String FLYWAY_TABLE = """
            CREATE TABLE %s.flyway_schema_history (
                installed_rank INT NOT NULL PRIMARY KEY,
                version VARCHAR(50),
                description VARCHAR(200) NOT NULL,
                type VARCHAR(20) NOT NULL,
                script VARCHAR(1000) NOT NULL,
                checksum INT,
                installed_by VARCHAR(100) NOT NULL,
                installed_on TIMESTAMP NOT NULL DEFAULT now(),
                execution_time INT NOT NULL,
                success BOOLEAN NOT NULL)""";

    @Started
    private static StatefulPostgres db;

    @BeforeEach
    void seed() throws SQLException {
        if (!db.isRunning()) {
            db.start();
        }
        Sql.run(db, Sql.DROP_USER_SCHEMAS,
                "CREATE SCHEMA app",
                "CREATE TABLE orders (id int PRIMARY KEY, email text, status text, total numeric(6,2))",
                "INSERT INTO orders VALUES (1, 'a@x.io', 'new', 9.50), (2, 'b@x.io', 'paid', 20), "
                        + "(3, 'c@x.io', 'paid', 5.25)",
                "CREATE TABLE app.items (sku text, qty int)",
                "INSERT INTO app.items VALUES ('A-1', 2), ('B-2', 1)");
    }

    // ------------------------------------------------------------------ survives

    @Test
    void survivesRestart() {
        assertThat(db).survives(db::restart);

        assertThat(db).table("orders").hasRowCount(3);
    }

    @Test
    void survivesRecreate() {
        String before = db.containerId();

        assertThat(db).survives(db::recreate);

        assertThat(db.containerId()).isNotEqualTo(before);
        assertThat(db).table("app.items").hasRowCount(2);
    }

    @Test
    void survivesFailsWithPerTableDiffAndBothFingerprints() {
        DatabaseFingerprint before = db.fingerprint();

        assertThatThrownBy(() -> assertThat(db).survives(() -> Sql.run(db, "DELETE FROM orders WHERE id = 3",
                "CREATE TABLE app.audit (id int)", "UPDATE app.items SET qty = 7 WHERE sku = 'A-1'")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected database 'test' on volume '" + db.volumeName()
                        + "' to survive the action with every user table unchanged, but 3 tables changed:")
                .hasMessageContaining("\n  app.audit: table added (0 rows)")
                .hasMessageContaining("\n  app.items: same row count (2) but content changed")
                .hasMessageContaining("\n  public.orders: rows 3 -> 2")
                .hasMessageContaining("expected (before the action): DatabaseFingerprint (2 tables)")
                .hasMessageContaining("actual (after the action): DatabaseFingerprint (3 tables)")
                .isInstanceOfSatisfying(AssertionFailedError.class, e -> {
                    assertThat(e.getExpected().getEphemeralValue()).isEqualTo(before);
                    assertThat(e.getActual().getEphemeralValue()).isEqualTo(db.fingerprint());
                });
    }

    @Test
    void survivesFailsWithTheActionsExceptionAsCause() {
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> assertThat(db).survives(() -> {
            throw boom;
        }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to survive the action, but the action threw java.lang.IllegalStateException: boom")
                .hasCause(boom);
    }

    @Test
    void survivesFailsWhenTheServerIsDownAfterTheAction() {
        try {
            assertThatThrownBy(() -> assertThat(db).survives(db::stop))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to survive the action, but its user tables could not be read after the "
                            + "action")
                    .hasMessageContaining("is not running")
                    .hasCauseInstanceOf(IllegalStateException.class);
        } finally {
            db.start();
        }
    }

    @Test
    void assertionErrorsFromTheActionPassThrough() {
        AssertionError inner = new AssertionError("inner check failed");

        assertThatThrownBy(() -> assertThat(db).survives(() -> {
            throw inner;
        })).isSameAs(inner);
    }

    // ------------------------------------------------------------------ losesDataOn

    @Test
    void losesDataOnRemovingTheVolume() {
        assertThat(db).losesDataOn(() -> {
            db.removeVolume();
            db.start();
        });

        assertThat(db.fingerprint().tables()).isEmpty();
    }

    @Test
    void losesDataOnTruncatePassesWhenTablesStayButAreEmpty() {
        assertThat(db).losesDataOn(() -> Sql.run(db, "TRUNCATE orders, app.items"));
    }

    @Test
    void losesDataOnFailsShowingWhatSurvived() {
        assertThatThrownBy(() -> assertThat(db).losesDataOn(() -> Sql.run(db, "TRUNCATE app.items",
                "UPDATE orders SET status = 'lost' WHERE id = 1")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected the action to lose the data of database 'test' on volume '"
                        + db.volumeName() + "', but 1 of 2 tables that had rows still has rows:\n"
                        + "  public.orders: 3 rows before, 3 rows after, content changed")
                .hasMessageNotContaining("app.items: 2 rows before");
    }

    @Test
    void losesDataOnFailsAcrossARestart() {
        assertThatThrownBy(() -> assertThat(db).losesDataOn(db::restart))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but 2 of 2 tables that had rows still have rows:")
                .hasMessageContaining("app.items: 2 rows before, 2 rows after, content unchanged")
                .hasMessageContaining("public.orders: 3 rows before, 3 rows after, content unchanged");
    }

    @Test
    void losesDataOnFailsWhenThereWasNothingToLose() throws SQLException {
        Sql.run(db, "TRUNCATE orders, app.items");

        assertThatThrownBy(() -> assertThat(db).losesDataOn(() -> { }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but there was nothing to lose: no user table had rows before the action")
                .hasMessageContaining("public.orders: 0 rows");
    }

    // ------------------------------------------------------------------ schema

    @Test
    void hasTableFindsTablesAsSqlDoes() throws SQLException {
        Sql.run(db, "CREATE TABLE \"MixedCase\" (id int)",
                "CREATE TABLE events (id int, kind text) PARTITION BY LIST (kind)");

        assertThat(db).hasTable("orders").hasTable("public.orders").hasTable("ORDERS").hasTable("app.items")
                .hasTable("\"MixedCase\"").hasTable("events");
    }

    @Test
    void hasTableFailsListingTheUserTables() {
        assertThatThrownBy(() -> assertThat(db).hasTable("ordrs"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected database 'test' on volume '" + db.volumeName()
                        + "' to have table ordrs, but it has no such table (search_path: \"$user\", public).")
                .hasMessageContaining("User tables:\n  app.items\n  public.orders");
        assertThatThrownBy(() -> assertThat(db).hasTable("app.orders"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have table app.orders, but it has no such table");
        assertThatThrownBy(() -> assertThat(db).hasTable("MixedCase"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have table MixedCase, but it has no such table");
    }

    @Test
    void hasTableFailsForAView() throws SQLException {
        Sql.run(db, "CREATE VIEW order_view AS SELECT * FROM orders");

        assertThatThrownBy(() -> assertThat(db).hasTable("order_view"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have table order_view, but public.order_view is a view, not a table.");
    }

    @Test
    void hasColumnPassesForExactAndFoldedNames() throws SQLException {
        Sql.run(db, "ALTER TABLE orders ADD COLUMN \"Note\" text");

        assertThat(db).hasColumn("orders", "email").hasColumn("public.orders", "EMAIL")
                .hasColumn("orders", "Note").hasColumn("orders", "\"Note\"").hasColumn("app.items", "sku");
    }

    @Test
    void hasColumnFailsListingTheColumns() {
        assertThatThrownBy(() -> assertThat(db).hasColumn("orders", "emial"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected table public.orders to have column emial, but its columns are: "
                        + "id, email, status, total");
        assertThatThrownBy(() -> assertThat(db).hasColumn("nope", "id"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have table nope, but it has no such table");
    }

    @Test
    void isAtSchemaVersionReadsTheHighestSuccessfulVersion() throws SQLException {
        flywayHistory("public");

        assertThat(db).isAtSchemaVersion("2").isAtSchemaVersion("2.0");
    }

    @Test
    void isAtSchemaVersionFailsShowingActualVersionAndHistory() throws SQLException {
        flywayHistory("public");

        assertThatThrownBy(() -> assertThat(db).isAtSchemaVersion("3"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected database 'test' on volume '" + db.volumeName()
                        + "' to be at schema version 3, but it is at version 2.")
                .hasMessageContaining("History (public.flyway_schema_history):\n"
                        + "  rank 1: version 1 \"create orders\" (SQL, success)\n"
                        + "  rank 2: version 1.1 \"add email\" (SQL, success)\n"
                        + "  rank 3: repeatable \"views\" (SQL, success)\n"
                        + "  rank 4: version 2 \"add items\" (SQL, success)\n"
                        + "  rank 5: version 3 \"broken\" (SQL, FAILED)")
                .isInstanceOfSatisfying(AssertionFailedError.class, e -> {
                    assertThat(e.getExpected().getValue()).isEqualTo("3");
                    assertThat(e.getActual().getValue()).isEqualTo("2");
                });
    }

    @Test
    void isAtSchemaVersionFindsTheHistoryInAnotherSchema() throws SQLException {
        flywayHistory("app");

        assertThat(db).isAtSchemaVersion("2");
        assertThatThrownBy(() -> assertThat(db).isAtSchemaVersion("1.1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it is at version 2.\nHistory (app.flyway_schema_history):");
    }

    @Test
    void isAtSchemaVersionFailsWithoutHistoryOrSuccessfulMigration() throws SQLException {
        assertThatThrownBy(() -> assertThat(db).isAtSchemaVersion("1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to be at schema version 1, but it has no flyway_schema_history table: "
                        + "Flyway has not migrated it.");

        Sql.run(db, FLYWAY_TABLE.formatted("public"));
        assertThatThrownBy(() -> assertThat(db).isAtSchemaVersion("1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but no versioned migration was applied successfully. "
                        + "public.flyway_schema_history is empty.");
    }

    @Test
    void isAtSchemaVersionRejectsAnInvalidVersion() {
        assertThatThrownBy(() -> assertThat(db).isAtSchemaVersion("v2"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("schema version 'v2' is invalid");
    }

    // ------------------------------------------------------------------ table

    @Test
    void tableHasRowCountAndIsEmptyPass() throws SQLException {
        Sql.run(db, "CREATE TABLE app.empty (id int)");

        assertThat(db).table("orders").hasRowCount(3);
        assertThat(db).table("app.empty").hasRowCount(0).isEmpty();
    }

    @Test
    void hasRowCountFailsWithBothCountsAndTheRows() {
        assertThatThrownBy(() -> assertThat(db).table("orders").hasRowCount(5))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected table public.orders to have 5 rows, but it has 3:")
                .hasMessageContaining("\n  (1,a@x.io,new,9.50)")
                .isInstanceOfSatisfying(AssertionFailedError.class, e -> {
                    assertThat(e.getExpected().getValue()).isEqualTo(5L);
                    assertThat(e.getActual().getValue()).isEqualTo(3L);
                });
    }

    @Test
    void isEmptyFailsShowingTheRows() {
        assertThatThrownBy(() -> assertThat(db).table("app.items").isEmpty())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected table app.items to be empty, but it has 2 rows:")
                .hasMessageContaining("(A-1,2)")
                .hasMessageContaining("(B-2,1)");
    }

    @Test
    void tableFailsWhenMissing() {
        assertThatThrownBy(() -> assertThat(db).table("app.nope"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have table app.nope, but it has no such table");
    }

    // ------------------------------------------------------------------ column

    @Test
    void hasNoNullsPasses() {
        assertThat(db).table("orders").column("email").hasNoNulls();
    }

    @Test
    void hasNoNullsFailsNamingRowsByPrimaryKey() throws SQLException {
        Sql.run(db, "UPDATE orders SET email = NULL WHERE id IN (2, 3)");

        assertThatThrownBy(() -> assertThat(db).table("orders").column("email").hasNoNulls())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected column public.orders.email to have no NULLs, but it is NULL in 2 of "
                        + "3 rows, for example in the rows with:\n  id=2\n  id=3");
    }

    @Test
    void hasNoNullsNamesRowsByCompositeKeyOrCtid() throws SQLException {
        Sql.run(db, "CREATE TABLE app.pairs (a int, b int, v text, PRIMARY KEY (b, a))",
                "INSERT INTO app.pairs VALUES (1, 2, NULL), (3, 4, 'x')",
                "INSERT INTO app.items VALUES (NULL, 5)");

        assertThatThrownBy(() -> assertThat(db).table("app.pairs").column("v").hasNoNulls())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("it is NULL in 1 of 2 rows, for example in the rows with:\n  b=2, a=1");
        assertThatThrownBy(() -> assertThat(db).table("app.items").column("sku").hasNoNulls())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected column app.items.sku to have no NULLs, but it is NULL in 1 of 3 rows, "
                        + "for example in the rows with:\n  ctid=(0,");
    }

    @Test
    void columnFailsWhenMissing() {
        assertThatThrownBy(() -> assertThat(db).table("app.items").column("price"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected table app.items to have column price, but its columns are: sku, qty");
    }

    @Test
    void hasOnlyValuesPassesAndFailsListingTheOtherValues() throws SQLException {
        assertThat(db).table("orders").column("status").hasOnlyValues("new", "paid");
        assertThat(db).table("orders").column("total").hasOnlyValues("9.50", "20.00", "5.25");

        Sql.run(db, "INSERT INTO orders VALUES (4, 'd@x.io', 'lost', 1), (5, 'e@x.io', NULL, 1), (6, 'f@x.io', 'lost', 1)");

        assertThat(db).table("orders").column("status").hasOnlyValues("new", "paid", "lost", null);
        assertThatThrownBy(() -> assertThat(db).table("orders").column("status").hasOnlyValues("new", "paid"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected column public.orders.status to have only the values [\"new\", \"paid\"],"
                        + " but it also has:\n  \"lost\" in 2 rows\n  NULL in 1 row");
    }

    @Test
    void containsValuesPassesAndFailsListingTheMissingValues() {
        assertThat(db).table("orders").column("status").containsValues("paid", "new");

        assertThatThrownBy(() -> assertThat(db).table("orders").column("status").containsValues("paid", "lost", null))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected column public.orders.status to contain the values "
                        + "[\"paid\", \"lost\", NULL], but no row has:\n  \"lost\"\n  NULL\n"
                        + "Values it has:\n  \"new\"\n  \"paid\"");
    }

    // ------------------------------------------------------------------ errors and descriptions

    @Test
    void sqlErrorsBecomeAssertionFailuresWithTheServerMessage() throws SQLException {
        assertThatThrownBy(() -> assertThat(db).hasTable("a.b.c.d"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Could not check table a.b.c.d of database 'test'")
                .hasMessageContaining("improper relation name (too many dotted names)")
                .hasMessageContaining("SQLSTATE 42601")
                .hasCauseInstanceOf(SQLException.class);

        TableAssert orders = assertThat(db).table("orders");
        Sql.run(db, "DROP TABLE orders");

        assertThatThrownBy(orders::isEmpty)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Could not check the rows of table public.orders")
                .hasMessageContaining("relation \"public.orders\" does not exist")
                .hasMessageContaining("SQLSTATE 42P01")
                .hasCauseInstanceOf(SQLException.class);
    }

    @Test
    void descriptionsAndOverridingMessagesAreHonoured() {
        assertThatThrownBy(() -> assertThat(db).as("after the upgrade").hasTable("nope"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("[after the upgrade] Expected database 'test'");
        assertThatThrownBy(() -> assertThat(db).table("orders").withFailMessage("custom").hasRowCount(1))
                .isInstanceOf(AssertionError.class)
                .hasMessage("custom");
    }

    private static void flywayHistory(String schema) throws SQLException {
        String insert = "INSERT INTO " + schema + ".flyway_schema_history (installed_rank, version, description, "
                + "type, script, checksum, installed_by, execution_time, success) VALUES ";
        Sql.run(db, FLYWAY_TABLE.formatted(schema),
                insert + "(1, '1', 'create orders', 'SQL', 'V1__create_orders.sql', 1, 'test', 5, true)",
                insert + "(2, '1.1', 'add email', 'SQL', 'V1_1__add_email.sql', 2, 'test', 5, true)",
                insert + "(3, NULL, 'views', 'SQL', 'R__views.sql', 3, 'test', 5, true)",
                insert + "(4, '2', 'add items', 'SQL', 'V2__add_items.sql', 4, 'test', 5, true)",
                insert + "(5, '3', 'broken', 'SQL', 'V3__broken.sql', 5, 'test', 5, false)");
    }
}
