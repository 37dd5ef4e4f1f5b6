package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The assertions of docs/assertions.md on one small orders table. */
@Tag("docker")
@WithVolume
class AssertionsExampleTest {
    private static void seed(StatefulPostgres db) throws Exception {
        Sql.run(db, "CREATE TABLE orders (id int PRIMARY KEY, email text, status text)",
                "INSERT INTO orders VALUES (1, 'ada@example.com', 'new'), (2, 'linus@example.com', 'paid')",
                "CREATE SCHEMA audit", "CREATE TABLE audit.log (id int)");
    }

    @Test
    void survivesAndLosesDataOn(StatefulPostgres db) throws Exception {
        seed(db);
        // tag::survives[]
        assertThat(db).survives(db::restart);
        assertThat(db).survives(() -> db.recreate(ExampleImages.currentMajorRebuilt()));
        assertThat(db).losesDataOn(() -> {
            db.removeVolume();
            db.start();
        });
        // end::survives[]
    }

    @Test
    void fingerprintsCompareWholeDatabases(StatefulPostgres db) throws Exception {
        seed(db);
        // tag::fingerprint[]
        DatabaseFingerprint before = db.fingerprint();               // rows and content hash per table
        db.recreate();
        assertThat(db.fingerprint()).isEqualTo(before);

        Sql.run(db, "DELETE FROM orders WHERE id = 2");
        assertThat(before.diff(db.fingerprint())).containsExactly("public.orders: rows 2 -> 1");
        // end::fingerprint[]
    }

    @Test
    void schemaTablesAndColumns(StatefulPostgres db) throws Exception {
        seed(db);
        // tag::schema-tables-columns[]
        assertThat(db).hasTable("orders")                 // through the search_path, usually public
                      .hasTable("audit.log")              // schema.table
                      .hasColumn("orders", "email");
        assertThat(db).table("orders").hasRowCount(2);
        assertThat(db).table("audit.log").isEmpty();
        assertThat(db).table("orders").column("email").hasNoNulls();
        assertThat(db).table("orders").column("status").hasOnlyValues("new", "paid");
        assertThat(db).table("orders").column("status").containsValues("paid");
        // end::schema-tables-columns[]
    }
}
