package dev.stateful.migrate;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.testing.RealData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real public migration set nobody here made: Eclipse hawkBit's 23 PostgreSQL Flyway
 * migrations (V1_12_15 ... V1_12_37, from github.com/eclipse-hawkbit/hawkbit at commit
 * 8435862a4f61cf095a170c2c0498f102aab150e3, path
 * hawkbit-repository/hawkbit-repository-jpa-flyway/src/main/resources/db/migration/POSTGRESQL).
 * Not in this repository: read from the directory {@code hawkbit-postgresql} under the system
 * property {@code stateful.real-migrations} or the variable {@code STATEFUL_REAL_MIGRATIONS}
 * (default {@code ../shared/migrations} beside the project root); skipped, naming the source, when
 * absent (failed when {@code CI=true}, see {@link RealData}).
 *
 * <p>On an empty database the set is clean. With 500,000 actions seeded at 1.12.27, V1_12_28
 * (which alters two rollout tables and then backfills every action in the same transaction) and
 * V1_12_30 (a plain CREATE INDEX on the actions) are flagged.
 */
@Tag("docker")
class HawkbitMigrationSafetyTest {
    private static Path set() {
        Path dir = RealData.folder("stateful.real-migrations", "STATEFUL_REAL_MIGRATIONS", "migrations")
                .resolve("hawkbit-postgresql");
        RealData.require(Files.isRegularFile(dir.resolve("V1_12_28__add_dynamic_rollout___POSTGRESQL.sql")),
                () -> "hawkBit's PostgreSQL migrations are not in " + dir.toAbsolutePath() + ": copy "
                        + "hawkbit-repository/hawkbit-repository-jpa-flyway/src/main/resources/db/migration/POSTGRESQL/* "
                        + "of github.com/eclipse-hawkbit/hawkbit at commit 8435862a4f61cf095a170c2c0498f102aab150e3 "
                        + "there, or set stateful.real-migrations");
        return dir;
    }

    @Test
    void realSetIsCleanWhenEmptyAndFlaggedOnHalfAMillionActions() throws SQLException {
        Path dir = set();
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("hawkbit-safety").start()) {
            Migrations hawkbit = db.migrations().withSettings(MigrationSettings.defaults()
                    .withLocations("filesystem:" + dir.toAbsolutePath()));
            MigrationResult empty = hawkbit.migrateTo("1.12.27");
            assertThat(empty.steps()).hasSize(13);
            assertThat(empty).hasNoHazards();

            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("SET session_replication_role = replica"); // the actions' targets need not exist
                s.execute("INSERT INTO sp_action (tenant, status, distribution_set, target, action_type, initiated_by, "
                        + "active) SELECT 'DEFAULT', g % 10, 1 + g % 100, g, 0, 'seed', true "
                        + "FROM generate_series(1, 500000) g");
            }
            MigrationResult seeded = hawkbit.migrate();

            assertThat(seeded).hasHazard(HazardKind.LONG_EXCLUSIVE_LOCK, "public.sp_rollout")
                    .hasHazard(HazardKind.SCAN_UNDER_EXCLUSIVE_LOCK, "public.sp_action")
                    .hasHazard(HazardKind.BLOCKING_INDEX_BUILD, "public.sp_action");
            MigrationStep rollout = seeded.steps().stream()
                    .filter(s -> s.migration().script().startsWith("V1_12_28")).findFirst().orElseThrow();
            assertThat(rollout.readsBlocked("public.sp_rollout")).isGreaterThan(Duration.ofSeconds(1));
            assertThat(rollout.locks()).containsEntry("public.sp_action", LockMode.ACCESS_EXCLUSIVE);
            assertThat(seeded.hazards()).filteredOn(h -> h.table().equals("public.sp_action"))
                    .allSatisfy(h -> assertThat(h.rows()).isEqualTo(500_000));
        }
    }
}
