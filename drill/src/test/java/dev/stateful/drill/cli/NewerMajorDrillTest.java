package dev.stateful.drill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.drill.DrillReport;
import dev.stateful.drill.RestoreDrill;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.snapshot.BackupKind;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A drill onto the next major version: a live Postgres 15 with the realistic dataset is backed up
 * logically, destroyed, restored onto Postgres 17, migrated through the fixture migrations V2..V5
 * and checked.
 */
@Tag("docker")
class NewerMajorDrillTest {
    static final String OLDER = "postgres:15-bookworm";
    static final String NEWER = "postgres:17-trixie";

    @Test
    void aLogicalBackupOf15RestoresOnto17AndMigrates() throws Exception {
        StatefulPostgres source = StatefulPostgres.builder().nameHint("drill-pg15").image(OLDER).start();
        try {
            source.restoreDump(Fixtures.realisticDump(0.05, OLDER));

            String[] image = new String[1];
            DrillReport report = RestoreDrill.of(source)
                    .backupKind(BackupKind.LOGICAL)
                    .targetImage(NEWER)
                    .migrations(Fixtures.migrationSettings())
                    .check("SELECT count(*) > 0 FROM users")
                    .check("SELECT NOT EXISTS (SELECT 1 FROM information_schema.columns "
                            + "WHERE table_name = 'users' AND column_name = 'name')")
                    .check("SELECT max(version::int) = 5 FROM flyway_schema_history WHERE version IS NOT NULL")
                    .expectTables("users", "orders", "order_items")
                    .verify(restored -> image[0] = Sql.text(restored, "SHOW server_version_num"))
                    .run();

            assertThat(report.passed()).as(report.failure().orElse("")).isTrue();
            assertThat(report.steps()).extracting(DrillReport.Step::name).containsExactly("fingerprint source", "backup",
                    "destroy", "restore", "fingerprint restored", "compare fingerprints", "migrate", "checks", "verify");
            assertThat(image[0]).startsWith("17");
            assertThat(report.steps().get(3).detail()).contains(NEWER);
            assertThat(report.sourceFingerprint().orElseThrow().diff(report.restoredFingerprint().orElseThrow())).isEmpty();
            assertThat(report.restoredFingerprint().orElseThrow().totalRows()).isGreaterThan(1000);
            assertThat(report.checks()).hasSize(6).allMatch(DrillReport.Check::passed);
            assertThat(DockerEngine.get().volumeExists(source.volumeName())).as("source destroyed").isFalse();
        } finally {
            source.discard();
        }
    }
}
