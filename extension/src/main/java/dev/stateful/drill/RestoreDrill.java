package dev.stateful.drill;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.snapshot.BackupKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Run a restore drill: back up, destroy, restore into a new volume, verify, and report how long
 * each step took. Backups that were never restored are not backups.
 *
 * <pre>{@code
 * DrillReport report = RestoreDrill.of(db)                  // a running handle
 *         .backupKind(BackupKind.LOGICAL)                      // pg_dump -Fc
 *         .targetImage("postgres:17")                          // restore onto the next major
 *         .migrations(MigrationSettings.defaults())            // optional: migrate after the restore
 *         .check("SELECT count(*) > 0 FROM users")
 *         .expectTables("users", "orders")
 *         .verify(restored -> assertThat(restored).table("users").hasRowCount(1000))
 *         .run();
 * assertTrue(report.passed(), report.failure().orElse(""));
 * }</pre>
 *
 * <p>Steps: {@code fingerprint source}, {@code backup}, {@code destroy} (container and volume
 * removed, as {@code docker compose down -v}), {@code restore} (into a new volume),
 * {@code fingerprint restored}, {@code compare fingerprints} (restored equals source),
 * {@code migrate}, {@code checks}, {@code verify}. A failing step ends the drill; the report
 * says which step failed and why, and the restored volume is removed unless
 * {@link #keepTarget(boolean)}. The drill never throws for a failed step: it reports.
 */
public final class RestoreDrill {
    /** A verification of the restored database, such as an AssertJ assertion. */
    @FunctionalInterface
    public interface Verification {
        /**
         * Verify the restored database; throw to fail the drill.
         *
         * @param restored the running, restored handle
         * @throws Exception any failure
         */
        void verify(StatefulPostgres restored) throws Exception;
    }

    private final StatefulPostgres source;
    private final Path existingBackup;
    private BackupKind kind = BackupKind.LOGICAL;
    private Path workDirectory;
    private boolean destroySource = true;
    private String targetImage;
    private Supplier<StatefulPostgres.Builder> targetBuilder = StatefulPostgres::builder;
    private MigrationSettings migrations;
    private final List<String> checks = new ArrayList<>();
    private final List<String> expectedTables = new ArrayList<>();
    private final List<Verification> verifications = new ArrayList<>();
    private boolean keepTarget;
    private Consumer<String> progress = message -> { };
    private StatefulPostgres target;
    private boolean customTargetBuilder;
    private DrillReport report;
    private Path temporaryDirectory;
    private Path history;
    private Duration maxRecoveryTime;

    private RestoreDrill(StatefulPostgres source, Path existingBackup) {
        this.source = source;
        this.existingBackup = existingBackup;
    }

    /**
     * Drill on a running database: back it up first.
     *
     * @param source the database to back up (destroyed by the drill unless told otherwise)
     * @return the drill
     */
    public static RestoreDrill of(StatefulPostgres source) {
        return new RestoreDrill(Objects.requireNonNull(source, "source"), null);
    }

    /**
     * Drill on an existing backup: a {@code pg_dump} file or directory, or a volume backup.
     *
     * @param backup the file
     * @return the drill
     */
    public static RestoreDrill ofBackup(Path backup) {
        return new RestoreDrill(null, Objects.requireNonNull(backup, "backup"));
    }

    /**
     * Choose the kind of backup taken of a running source. Default {@link BackupKind#LOGICAL}.
     *
     * @param value the kind
     * @return this drill
     */
    public RestoreDrill backupKind(BackupKind value) {
        this.kind = Objects.requireNonNull(value, "kind");
        return this;
    }

    /**
     * Choose where the backup file is written; it stays there after the drill. Default: a new
     * temporary directory, removed with the backup at the end of the drill.
     *
     * @param directory a directory
     * @return this drill
     */
    public RestoreDrill workDirectory(Path directory) {
        this.workDirectory = directory;
        return this;
    }

    /**
     * Choose whether the source's container and volume are removed after the backup. Default {@code true}.
     *
     * @param value whether to destroy the source
     * @return this drill
     */
    public RestoreDrill destroySource(boolean value) {
        this.destroySource = value;
        return this;
    }

    /**
     * Restore onto another image, for example the next major version.
     *
     * @param image the image of the restored database
     * @return this drill
     */
    public RestoreDrill targetImage(String image) {
        this.targetImage = image;
        return this;
    }

    /**
     * Build the restored database's handle from a builder of your own (a volume name, a small
     * tmpfs-backed volume to test a full disk, …). The drill sets the image only when
     * {@link #targetImage(String)} was given; otherwise the builder's image is used (without a
     * builder of your own, the target runs the source's image).
     *
     * @param builder supplies a fresh builder
     * @return this drill
     */
    public RestoreDrill targetBuilder(Supplier<StatefulPostgres.Builder> builder) {
        this.targetBuilder = Objects.requireNonNull(builder, "builder");
        this.customTargetBuilder = true;
        return this;
    }

    /**
     * Set the migrations the drill runs on the restored database, after the restore and the
     * fingerprint comparison (step {@code migrate}); without them the drill migrates nothing.
     * Only records the settings: {@link #run()} migrates.
     *
     * @param settings where the migrations are and how to run them (Flyway, a Liquibase changelog
     *     or a migrator image); the target version is the settings' target or the latest
     * @return this drill
     */
    public RestoreDrill migrations(MigrationSettings settings) {
        this.migrations = settings;
        return this;
    }

    /**
     * Add a SQL check that must return {@code true} on the restored database.
     *
     * @param sql a query returning one boolean
     * @return this drill
     */
    public RestoreDrill check(String sql) {
        checks.add(Objects.requireNonNull(sql, "sql"));
        return this;
    }

    /**
     * Require tables to exist on the restored database.
     *
     * @param tables names, optionally schema-qualified
     * @return this drill
     */
    public RestoreDrill expectTables(String... tables) {
        expectedTables.addAll(List.of(tables));
        return this;
    }

    /**
     * Add a verification of the restored database, such as AssertJ assertions.
     *
     * @param verification throws to fail the drill
     * @return this drill
     */
    public RestoreDrill verify(Verification verification) {
        verifications.add(Objects.requireNonNull(verification, "verification"));
        return this;
    }

    /**
     * Keep the restored database running after a drill that passed (the caller closes it via
     * {@link #restored()}). Default {@code false}: it is discarded. After a failed drill it is
     * always discarded, so that a failure leaves nothing behind.
     *
     * @param value whether to keep it
     * @return this drill
     */
    public RestoreDrill keepTarget(boolean value) {
        this.keepTarget = value;
        return this;
    }

    /**
     * Receive progress messages, one per step start and end.
     *
     * @param listener for example {@code System.out::println}
     * @return this drill
     */
    public RestoreDrill onProgress(Consumer<String> listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Append one JSON line per run to a history file (created when missing), so that recovery time
     * and step durations can be followed over runs ({@link DrillHistory}; the CLI's
     * {@code --history FILE}). The file is read now: a line that is not a recorded run is reported
     * before the drill does anything.
     *
     * @param file the history file, such as {@code drills/history.jsonl}
     * @return this drill
     * @throws dev.stateful.error.InvalidArgumentException when the file is a directory or holds a
     *     line that is not a recorded run
     */
    public RestoreDrill history(Path file) {
        DrillHistory.read(Objects.requireNonNull(file, "file"));
        this.history = file;
        return this;
    }

    /**
     * Fail the drill when its recovery time ({@link DrillReport#recoveryTime()}) exceeds a limit,
     * the recovery time objective; the failure says by how much (the CLI's {@code --max-rto}).
     *
     * @param limit the longest acceptable recovery time, positive
     * @return this drill
     * @throws dev.stateful.error.InvalidArgumentException when the limit is not positive
     */
    public RestoreDrill maxRecoveryTime(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isZero() || limit.isNegative()) {
            throw new dev.stateful.error.InvalidArgumentException("RestoreDrill.maxRecoveryTime: '" + limit
                    + "' is invalid; expected a positive duration. Fix: pass the recovery time objective, such as "
                    + "Duration.ofMinutes(15).");
        }
        this.maxRecoveryTime = limit;
        return this;
    }

    /**
     * Return the restored database kept with {@link #keepTarget(boolean)}.
     *
     * @return the handle, or {@code null} before a run or when it was discarded
     */
    public StatefulPostgres restored() {
        return keepTarget ? target : null;
    }

    /**
     * Run the drill.
     *
     * @return the report; it says whether the drill passed
     */
    public DrillReport run() {
        DrillReport report = new DrillReport();
        this.report = report;
        try {
            Path backup;
            DatabaseFingerprint sourceFingerprint = null;
            if (source != null) {
                report.source(source.toString());
                sourceFingerprint = step(report, "fingerprint source", source::fingerprint, f -> f.tables().size() + " tables");
                report.fingerprints(sourceFingerprint, null);
                backup = step(report, "backup", () -> source.backups().backup(kind, backupFile()),
                        f -> kind + " backup, " + size(f) + " bytes");
                report.backup(backup.toString(), size(backup));
                if (destroySource) {
                    step(report, "destroy", () -> {
                        source.removeVolume();
                        return source.volumeName();
                    }, v -> "container and volume '" + v + "' removed");
                }
            } else {
                backup = existingBackup;
                report.source(backup.toString());
                step(report, "backup", () -> {
                    if (!Files.exists(backup)) {
                        throw new StepFailed("backup", "backup file '" + backup.toAbsolutePath() + "' not found; expected "
                                + "a pg_dump file or directory, or a volume backup. Fix: pass an existing file.");
                    }
                    return backup;
                }, f -> "existing file, " + size(f) + " bytes");
                report.backup(backup.toString(), size(backup));
            }
            step(report, "restore", () -> {
                target = newTarget();
                report.target(target.toString());
                try {
                    target.backups().restore(backup);
                } catch (RuntimeException e) {
                    String diagnosis = serverDiagnosis();
                    throw new StepFailed("restore", diagnosis.isEmpty() ? reasonOf(e) : diagnosis + "\n" + reasonOf(e));
                }
                return target.volumeName();
            }, v -> "into volume '" + v + "' (" + target.image() + ")");
            DatabaseFingerprint restored = step(report, "fingerprint restored", target::fingerprint, f -> f.tables().size() + " tables");
            report.fingerprints(null, restored);
            if (sourceFingerprint != null) {
                DatabaseFingerprint expected = sourceFingerprint;
                step(report, "compare fingerprints", () -> {
                    List<String> diff = expected.diff(restored);
                    if (!diff.isEmpty()) {
                        throw new StepFailed("compare fingerprints", "restored data differs from the source: " + String.join("; ", diff));
                    }
                    return expected.tables().size();
                }, n -> n + " tables equal");
            }
            if (migrations != null) {
                step(report, "migrate", () -> target.migrations().withSettings(migrations).migrate(),
                        r -> "from version " + r.from().orElse("none") + " to " + r.to().orElse("none") + ", "
                                + r.applied().size() + " migration(s) applied");
            }
            if (!checks.isEmpty() || !expectedTables.isEmpty()) {
                step(report, "checks", () -> runChecks(report), n -> n + " checks passed");
            }
            for (Verification verification : verifications) {
                step(report, "verify", () -> {
                    verification.verify(target);
                    return "";
                }, r -> "passed");
            }
        } catch (StepFailed e) {
            report.fail("step '" + e.step + "' failed: " + e.reason);
        } catch (RuntimeException e) {
            // Outside any step (a bug or an engine failure between steps): still a report, not a throw.
            report.fail("drill failed: " + reasonOf(e));
        } finally {
            if (target != null && (!keepTarget || !report.passed())) {
                try {
                    target.discard();
                } catch (RuntimeException e) {
                    report.log("cleanup of the restored database failed: %s", reasonOf(e));
                }
                if (keepTarget) {
                    target = null;
                }
            }
            deleteTemporaryDirectory(report);
        }
        if (maxRecoveryTime != null && report.passed() && report.recoveryTime().compareTo(maxRecoveryTime) > 0) {
            report.fail(rtoExceeded(report.recoveryTime(), maxRecoveryTime));
        }
        if (history != null) {
            try {
                DrillHistory.append(history, report, maxRecoveryTime);
                report.log("appended this run to the history %s", history.toAbsolutePath());
            } catch (IOException | RuntimeException e) {
                report.fail("cannot append this run to the history file '" + history.toAbsolutePath() + "': "
                        + reasonOf(e) + ". Fix: make the file and its directory writable.");
            }
        }
        progress.accept(report.passed() ? "drill passed, recovery time " + report.recoveryTime().toMillis() + " ms"
                : "drill FAILED: " + report.failure().orElse("a check failed"));
        return report;
    }

    /** Say by how much a recovery time exceeded the limit. */
    static String rtoExceeded(Duration recovery, Duration limit) {
        return "recovery time " + human(recovery)
                + " exceeded the maximum recovery time (--max-rto, maxRecoveryTime) of " + human(limit)
                + " by " + human(recovery.minus(limit))
                + ". Fix: make the restore faster (parallel jobs, a smaller backup, faster storage) or raise the limit "
                + "if the objective allows it.";
    }

    /** Exact, and readable when long: {@code 1234 ms}, {@code 41250 ms (41.3 s)}, {@code 725000 ms (12 min 5.0 s)}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 10_000) {
            return ms + " ms";
        }
        if (ms < 600_000) {
            return String.format(java.util.Locale.ROOT, "%d ms (%.1f s)", ms, ms / 1000.0);
        }
        return String.format(java.util.Locale.ROOT, "%d ms (%d min %.1f s)", ms, ms / 60_000, (ms % 60_000) / 1000.0);
    }

    /**
     * Return the report of the last {@link #run()}.
     *
     * @return it, or empty before a run
     */
    public java.util.Optional<DrillReport> lastReport() {
        return java.util.Optional.ofNullable(report);
    }

    private StatefulPostgres newTarget() {
        StatefulPostgres.Builder builder = targetBuilder.get();
        if (targetImage != null) {
            builder.image(targetImage);
        } else if (source != null && !customTargetBuilder) {
            builder.image(source.image());
        }
        return builder.nameHint("drill").build();
    }

    /**
     * Say what the restored server's container shows after a failed restore: whether it still
     * runs (a killed container does not), and its PANIC/FATAL lines, such as a full disk.
     */
    private String serverDiagnosis() {
        try {
            StringBuilder out = new StringBuilder();
            String tail = target.logTail(40);
            List<String> lines = tail.lines().map(String::strip)
                    .filter(l -> l.contains("PANIC") || l.contains("FATAL") || l.contains("No space left on device"))
                    .distinct().limit(3).toList();
            if (!target.isRunning()) {
                out.append("The restored server's container is not running any more: it was killed or crashed.");
            }
            if (!lines.isEmpty()) {
                out.append(" Server log: ").append(String.join(" | ", lines)).append('.');
            }
            if (tail.contains("No space left on device")) {
                out.append(" The target volume is full (No space left on device). Fix: give the restore a volume with "
                        + "room for the data.");
            }
            return out.toString().strip();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String reasonOf(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private int runChecks(DrillReport report) throws SQLException {
        int failed = 0;
        List<String> all = new ArrayList<>(checks);
        for (String table : expectedTables) {
            all.add("SELECT to_regclass(" + dev.stateful.internal.pg.SqlIdentifiers.literal(table) + ") IS NOT NULL");
        }
        try (Connection c = target.connection(); Statement s = c.createStatement()) {
            for (String sql : all) {
                boolean ok;
                String detail;
                try (ResultSet rs = s.executeQuery(sql)) {
                    ok = rs.next() && rs.getBoolean(1);
                    detail = ok ? "true" : "false";
                } catch (SQLException e) {
                    ok = false;
                    detail = e.getMessage();
                }
                report.check(new DrillReport.Check(sql, ok, detail));
                if (!ok) {
                    failed++;
                }
            }
        }
        if (failed > 0) {
            throw new StepFailed("checks", failed + " of " + all.size() + " checks failed: "
                    + report.checks().stream().filter(ch -> !ch.passed()).map(ch -> ch.sql() + " -> " + ch.detail()).toList());
        }
        return all.size();
    }

    private Path backupFile() {
        try {
            Path dir;
            if (workDirectory != null) {
                dir = Files.createDirectories(workDirectory);
            } else {
                dir = Files.createTempDirectory("stateful-drill");
                temporaryDirectory = dir;
            }
            return dir.resolve(kind == BackupKind.LOGICAL ? "backup.dump" : "backup-volume.tar");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the drill's work directory", e);
        }
    }

    private void deleteTemporaryDirectory(DrillReport report) {
        if (temporaryDirectory == null) {
            return;
        }
        try (var files = Files.walk(temporaryDirectory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            report.log("removed the temporary backup directory %s", temporaryDirectory);
        } catch (IOException | UncheckedIOException e) {
            report.log("cannot remove the temporary backup directory %s: %s", temporaryDirectory, e.getMessage());
        }
        temporaryDirectory = null;
    }

    private static long size(Path file) {
        try {
            if (Files.isDirectory(file)) {
                try (var files = Files.walk(file)) {
                    return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                }
            }
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private interface StepBody<T> {
        T run() throws Exception;
    }

    private <T> T step(DrillReport report, String name, StepBody<T> body, java.util.function.Function<T, String> describe) {
        progress.accept(name + " ...");
        long started = System.nanoTime();
        try {
            T result = body.run();
            report.step(new DrillReport.Step(name, Duration.ofNanos(System.nanoTime() - started), true, describe.apply(result)));
            progress.accept(name + " done in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return result;
        } catch (StepFailed e) {
            report.step(new DrillReport.Step(name, Duration.ofNanos(System.nanoTime() - started), false, e.reason));
            throw e;
        } catch (Exception | AssertionError e) {
            String reason = reasonOf(e);
            report.step(new DrillReport.Step(name, Duration.ofNanos(System.nanoTime() - started), false, reason));
            throw new StepFailed(name, reason);
        }
    }

    /** A failed step: carries its name and reason to the report. */
    private static final class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String step;
        private final String reason;

        StepFailed(String step, String reason) {
            super(reason, null, false, false);
            this.step = step;
            this.reason = reason;
        }
    }
}
