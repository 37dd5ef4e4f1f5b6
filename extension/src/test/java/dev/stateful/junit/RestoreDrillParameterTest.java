package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.drill.DrillReport;
import dev.stateful.drill.RestoreDrill;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.snapshot.BackupKind;
import dev.stateful.testing.Sql;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * A restore drill as one test: {@code RestoreDrill} is resolved for the {@code @WithVolume}
 * handle, and its report is published as JUnit report entries. Both kinds of backup, end to end,
 * on real containers; one kit run for both.
 */
@Tag("docker")
class RestoreDrillParameterTest {
    private static final DockerEngine ENGINE = DockerEngine.get();
    private static EngineExecutionResults results;
    private static Set<String> volumesBefore;
    private static Set<String> containersBefore;

    @BeforeAll
    static void runExamples() {
        Captured.clear();
        volumesBefore = ENGINE.volumesLabelled(Labels.RUN, Labels.runId()).keySet();
        containersBefore = ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet();
        results = Kit.run(Drills.class);
    }

    @Test
    void bothDrillsPass() {
        assertThat(Kit.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    }

    @Test
    void eachDrillHasItsStepsNamedAndTimedAndEqualFingerprints() {
        for (String kind : List.of("LOGICAL", "VOLUME")) {
            assertThat(Captured.only(kind + ".steps")).isEqualTo("[fingerprint source, backup, destroy, restore, "
                    + "fingerprint restored, compare fingerprints, checks, verify]");
            assertThat(Captured.only(kind + ".allTimed")).isEqualTo("true");
            assertThat(Captured.only(kind + ".fingerprintsEqual")).isEqualTo("true");
            assertThat(Captured.only(kind + ".rows")).isEqualTo("1000");
        }
        assertThat(Captured.only("VOLUME.backupDetail")).startsWith("VOLUME backup, ");
        assertThat(Captured.only("LOGICAL.backupDetail")).startsWith("LOGICAL backup, ");
    }

    @Test
    void theSourceVolumeIsDestroyedAndNothingOfTheDrillIsLeft() {
        for (String kind : List.of("LOGICAL", "VOLUME")) {
            assertThat(ENGINE.volumeExists(Captured.only(kind + ".sourceVolume"))).as(kind + " source volume").isFalse();
        }
        assertThat(ENGINE.volumesLabelled(Labels.RUN, Labels.runId()).keySet()).isSubsetOf(volumesBefore);
        assertThat(ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet()).isSubsetOf(containersBefore);
    }

    @Test
    void theReportSummaryIsPublishedAfterTheTest() {
        List<Map<String, String>> entries = results.allEvents().reportingEntryPublished().stream()
                .map(Event::getPayload).flatMap(p -> p.stream().map(ReportEntry.class::cast))
                .map(ReportEntry::getKeyValuePairs).filter(m -> m.containsKey("drill.passed")).toList();
        assertThat(entries).hasSize(2).allSatisfy(m -> {
            assertThat(m).containsEntry("drill.passed", "true").containsKeys("drill.recovery-ms",
                    "drill.backup-bytes", "drill.step.restore-ms", "drill.step.backup-ms");
            assertThat(m).doesNotContainKey("drill.failure");
        });
    }

    static class Drills {
        @Test
        @WithVolume
        void logical(StatefulPostgres db, RestoreDrill drill, TestReporter reporter) throws Exception {
            drillOf(BackupKind.LOGICAL, db, drill);
        }

        @Test
        @WithVolume
        void volume(StatefulPostgres db, RestoreDrill drill) throws Exception {
            drillOf(BackupKind.VOLUME, db, drill);
        }

        private static void drillOf(BackupKind kind, StatefulPostgres db, RestoreDrill drill) throws Exception {
            Sql.run(db, "CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance numeric)",
                    "INSERT INTO accounts SELECT i, 'owner ' || i, i * 1.5 FROM generate_series(1, 1000) i");
            Captured.add(kind + ".sourceVolume", db.volumeName());
            DrillReport report = drill.backupKind(kind)
                    .check("SELECT count(*) = 1000 FROM accounts")
                    .expectTables("accounts")
                    .verify(restored -> Captured.add(kind + ".rows", Sql.text(restored, "SELECT count(*) FROM accounts")))
                    .run();
            assertThat(report.passed()).as(report.failure().orElse("")).isTrue();
            Captured.add(kind + ".steps", report.steps().stream().map(DrillReport.Step::name).toList().toString());
            Captured.add(kind + ".allTimed", Boolean.toString(report.steps().stream()
                    .allMatch(st -> st.passed() && !st.duration().isNegative() && !st.duration().isZero())));
            Captured.add(kind + ".fingerprintsEqual", Boolean.toString(
                    report.sourceFingerprint().orElseThrow().diff(report.restoredFingerprint().orElseThrow()).isEmpty()));
            Captured.add(kind + ".backupDetail", report.steps().get(1).detail());
        }
    }
}
