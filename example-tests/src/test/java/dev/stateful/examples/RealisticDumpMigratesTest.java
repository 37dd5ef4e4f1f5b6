package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.MigratedTo;
import dev.stateful.junit.RestoredFrom;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Test;

/**
 * The realistic-dump migration test: restore a dump of production-like data taken at V1, run
 * every migration on it, and check the data made it through. The dump is a small plain-SQL
 * file under src/test/resources/dumps; the restored and migrated state is cached across runs.
 */
// tag::restored-and-migrated[]
@WithVolume
@RestoredFrom("classpath:dumps/shop-v1.sql")
@MigratedTo(locations = "classpath:stateful/fixtures/db/migration")
class RealisticDumpMigratesTest {

    @Test
    void everyRowMadeItToTheLatestVersion(StatefulPostgres db) {
        assertThat(db).isAtSchemaVersion("5");
        assertThat(db).table("users").hasRowCount(10);
        assertThat(db).table("orders").hasRowCount(40);
        assertThat(db).table("order_items").hasRowCount(107);
    }

    @Test
    void namesMovedIntoTheProfileBeforeTheColumnWasDropped(StatefulPostgres db) throws Exception {
        assertThat(db).table("users").column("profile").hasNoNulls();
        assertThat(Sql.count(db, "users WHERE profile ->> 'display_name' IS NULL")).isZero();
        assertThat(Sql.count(db, "information_schema.columns WHERE table_name = 'users' AND column_name = 'name'"))
                .isZero();
    }
}
// end::restored-and-migrated[]
