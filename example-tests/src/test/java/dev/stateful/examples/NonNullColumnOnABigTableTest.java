package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.fixtures.PgbenchDataset;
import dev.stateful.junit.WithVolume;
import dev.stateful.migrate.HazardKind;
import dev.stateful.migrate.LockMode;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.migrate.MigrationStep;
import dev.stateful.testing.Sql;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adding a non-null column with an index to a big table (pgbench_accounts, 500,000 rows): the
 * expand/contract way comes out clean, the naive way in one transaction is flagged. Each test
 * starts from the pgbench data loaded once for the class.
 */
@WithVolume
class NonNullColumnOnABigTableTest {
    @BeforeAll
    static void loadPgbench(StatefulPostgres db) {
        PgbenchDataset.initialize(db, 5);
    }

    private static MigrationResult migrate(StatefulPostgres db, String set) {
        return db.migrations().withSettings(MigrationSettings.defaults()
                .withLocations("classpath:db/non-null-column/" + set)
                .withBaselineOnMigrate(true).withBaselineVersion("0")).migrate();
    }

    @Test
    void expandContractIsClean(StatefulPostgres db) throws Exception {
        // tag::observed[]
        MigrationResult result = migrate(db, "expand-contract");

        assertThat(result).hasNoHazards();                  // StatefulAssertions
        MigrationStep validate = result.steps().get(3);     // V4: VALIDATE CONSTRAINT
        assertThat(validate.locks()).containsEntry("public.pgbench_accounts", LockMode.SHARE_UPDATE_EXCLUSIVE);
        assertThat(validate.readsBlocked("public.pgbench_accounts")).isZero();
        assertThat(validate.writesBlocked("public.pgbench_accounts")).isZero();
        // end::observed[]
        assertThat(result.steps().get(5).transactional()).as("CREATE INDEX CONCURRENTLY outside a transaction")
                .isFalse();
        assertThat(db).table("pgbench_accounts").column("region_id").hasNoNulls();
        assertThat(Sql.count(db, "pg_indexes WHERE indexname = 'accounts_region_idx'")).isEqualTo(1);
    }

    @Test
    void theNaiveWayIsFlagged(StatefulPostgres db) {
        // tag::flagged[]
        MigrationResult result = migrate(db, "naive");      // the four statements in one transaction

        assertThat(result)
                .hasHazard(HazardKind.SCAN_UNDER_EXCLUSIVE_LOCK, "public.pgbench_accounts")
                .hasHazard(HazardKind.BLOCKING_INDEX_BUILD, "public.pgbench_accounts")
                .hasHazard(HazardKind.LONG_EXCLUSIVE_LOCK, "public.pgbench_accounts");
        MigrationStep step = result.steps().get(0);
        assertThat(step.locks()).containsEntry("public.pgbench_accounts", LockMode.ACCESS_EXCLUSIVE);
        assertThat(step.readsBlocked("public.pgbench_accounts")).isGreaterThan(Duration.ofSeconds(1));
        assertThat(result.hazards().get(0).advice()).isNotBlank();
        // end::flagged[]
    }
}
