package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.junit.WithVolume;
import dev.stateful.migrate.Migration;
import dev.stateful.migrate.MigrationResult;
import org.junit.jupiter.api.Test;

/**
 * V2 adds {@code users.profile} (JSONB, NOT NULL, default {@code '{}'}) to a table full of
 * production-like rows: restore a realistic dump made at V1, migrate to V2, and check that
 * every row is still there and every user got the default.
 */
@WithVolume
class ProfileMigrationOnRealisticDumpTest {

    @Test
    void profileColumnIsAddedWithoutLosingARow(StatefulPostgres db) {
        db.restoreDump(Fixtures.realisticDump(0.01)); // ~3,000 rows at V1, made once under target/
        assertThat(db).isAtSchemaVersion("1");
        DatabaseFingerprint before = db.fingerprint();

        MigrationResult result = db.migrations().withSettings(Fixtures.migrationSettings()).migrateTo("2");

        assertThat(result.applied()).extracting(Migration::version).containsExactly("2");
        DatabaseFingerprint after = db.fingerprint();
        for (String table : new String[] {"public.users", "public.orders", "public.order_items"}) {
            assertThat(after.tables().get(table).rows()).as(table).isEqualTo(before.tables().get(table).rows());
        }
        assertThat(db).table("users").column("profile").hasNoNulls().hasOnlyValues("{}");
        // Only users changed (a new column); orders and their items are untouched.
        assertThat(after.tables().get("public.orders")).isEqualTo(before.tables().get("public.orders"));
        assertThat(after.tables().get("public.order_items")).isEqualTo(before.tables().get("public.order_items"));
    }
}
