package dev.stateful.drill;

import dev.stateful.StatefulPostgres;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.pg.PgCommands;
import dev.stateful.testing.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore drills that must fail: each names the failing step and its reason, still returns a
 * report, and leaves no container or volume of the drill behind.
 */
@Tag("docker")
class RestoreDrillFaultsTest {
    static final String NEWER = "postgres:17-trixie";
    static final String OLDER = "postgres:15-bookworm";
    private static final DockerEngine ENGINE = DockerEngine.get();

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    /** About 150 MB of table data: more than a 96 MB tmpfs holds, and slow enough to restore to be killed. */
    private static Path bigDump;
    /** A small dump written by pg_dump 17. */
    private static Path smallDump17;

    private Set<String> volumesBefore;
    private Set<String> containersBefore;

    @BeforeAll
    static void makeDumps() throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("drill-faults").image(NEWER).start()) {
            Sql.run(db, "CREATE TABLE small (id int PRIMARY KEY, note text)",
                    "INSERT INTO small SELECT i, 'n' || i FROM generate_series(1, 100) i");
            smallDump17 = db.dumps().dump(shared.resolve("small-17.dump"));
            Sql.run(db, "CREATE TABLE big (id int PRIMARY KEY, payload text NOT NULL)",
                    "INSERT INTO big SELECT i, md5(i::text) || md5((i * 7)::text) FROM generate_series(1, 1500000) i");
            bigDump = db.dumps().dump(shared.resolve("big.dump"));
        }
    }

    @AfterAll
    static void forget() {
        bigDump = null;
        smallDump17 = null;
    }

    @BeforeEach
    void rememberResources() {
        volumesBefore = new HashSet<>(ENGINE.volumesLabelled(Labels.RUN, Labels.runId()).keySet());
        containersBefore = new HashSet<>(ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet());
    }

    @Test
    void aMissingDumpFailsTheBackupStep() {
        Path missing = dir.resolve("no-such.dump");

        DrillReport report = RestoreDrill.ofBackup(missing).run();

        assertFailedAt(report, "backup", "backup file '" + missing.toAbsolutePath() + "' not found");
        assertThat(report.steps()).extracting(DrillReport.Step::name).containsExactly("backup");
    }

    @Test
    void aCorruptDumpFailsTheRestoreStep() throws Exception {
        byte[] bytes = Files.readAllBytes(smallDump17);
        for (int i = bytes.length / 3; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path corrupt = Files.write(dir.resolve("corrupt.dump"), bytes);

        DrillReport report = RestoreDrill.ofBackup(corrupt).targetImage(NEWER).run();

        assertFailedAt(report, "restore", "pg_restore");
    }

    @Test
    void aDumpOfANewerMajorFailsTheRestoreOntoAnOlderOne() {
        DrillReport report = RestoreDrill.ofBackup(smallDump17).targetImage(OLDER).run();

        assertFailedAt(report, "restore", "written by a newer pg_dump");
        assertThat(report.failure().orElseThrow()).contains(OLDER);
    }

    @Test
    void aFullDiskFailsTheRestoreStep() {
        DrillReport report = RestoreDrill.ofBackup(bigDump)
                .targetBuilder(() -> StatefulPostgres.builder().image(NEWER).tmpfsVolume("96m"))
                .run();

        assertFailedAt(report, "restore", "No space left on device");
        assertThat(report.failure().orElseThrow()).contains("The target volume is full");
    }

    @Test
    void aTargetKilledMidRestoreFailsTheRestoreStep() throws Exception {
        AtomicReference<String> killed = new AtomicReference<>();
        AtomicReference<CompletableFuture<Void>> killer = new AtomicReference<>();
        DrillReport report = RestoreDrill.ofBackup(bigDump).targetImage(NEWER)
                .onProgress(message -> {
                    if (message.equals("restore ...")) {
                        killer.set(CompletableFuture.runAsync(() -> killed.set(killOnceRestoring())));
                    }
                })
                .run();

        killer.get().get(60, TimeUnit.SECONDS);
        assertThat(killed.get()).as("the target container was killed during pg_restore").isNotNull();
        assertFailedAt(report, "restore", "container is not running any more: it was killed or crashed");
        assertThat(report.failure().orElseThrow()).contains("could not be reset afterwards")
                .doesNotContain("nothing is half restored");
    }

    /** Wait until the drill's target runs pg_restore, then SIGKILL it. */
    private String killOnceRestoring() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String id : ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet()) {
                if (containersBefore.contains(id) || !ENGINE.status(id).running()) {
                    continue;
                }
                ExecResult active = ENGINE.exec(id, PgCommands.OS_USER, PgCommands.psqlCommand("test", "postgres",
                        "SELECT 'restoring:' || count(*) FROM pg_stat_activity WHERE application_name = 'pg_restore'"));
                if (active.succeeded() && active.stdoutText().contains("restoring:") && !active.stdoutText().contains("restoring:0")) {
                    ENGINE.kill(id);
                    return id;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private void assertFailedAt(DrillReport report, String step, String reason) {
        assertThat(report.passed()).isFalse();
        assertThat(report.failure()).hasValueSatisfying(f -> assertThat(f).startsWith("step '" + step + "' failed: ").contains(reason));
        DrillReport.Step last = report.steps().get(report.steps().size() - 1);
        assertThat(last.name()).isEqualTo(step);
        assertThat(last.passed()).isFalse();
        assertThat(report.toJson()).contains("\"passed\": false").contains("\"failure\": ");
        assertThat(ENGINE.volumesLabelled(Labels.RUN, Labels.runId()).keySet()).as("volumes left behind")
                .isSubsetOf(volumesBefore);
        assertThat(ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet()).as("containers left behind")
                .isSubsetOf(containersBefore);
        System.out.println("[" + step + "] " + report.failure().orElseThrow());
    }
}
