package dev.stateful.migrate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tell what one {@code migrate} did.
 *
 * @param fromVersion the schema version before, or {@code null} when there was none
 * @param toVersion the schema version after, or {@code null} when there is none
 * @param applied the migrations run, in order (repeatable ones included)
 * @param duration how long it took
 * @param steps what each migration did while it ran, in the order applied (see {@link MigrationStep});
 *     the failed one last when a migration failed
 */
public record MigrationResult(String fromVersion, String toVersion, List<Migration> applied, Duration duration,
                              List<MigrationStep> steps) {
    /**
     * Create the result.
     *
     * @param fromVersion the schema version before, or {@code null}
     * @param toVersion the schema version after, or {@code null}
     * @param applied the migrations run
     * @param duration how long it took
     * @param steps what each migration did
     */
    /** The name of the HTML report {@link #writeReport(Path, String)} writes. */
    public static final String REPORT_HTML = "migrations.html";

    public MigrationResult {
        applied = List.copyOf(applied);
        steps = List.copyOf(steps);
    }

    /**
     * Create the result of a run that was not observed (no steps).
     *
     * @param fromVersion the schema version before, or {@code null}
     * @param toVersion the schema version after, or {@code null}
     * @param applied the migrations run
     * @param duration how long it took
     */
    public MigrationResult(String fromVersion, String toVersion, List<Migration> applied, Duration duration) {
        this(fromVersion, toVersion, applied, duration, List.of());
    }

    /**
     * Return the hazards of every step, in the order the migrations were applied.
     *
     * @return the hazards; empty when every migration was safe (or nothing was observed)
     */
    public List<Hazard> hazards() {
        return steps.stream().flatMap(s -> s.hazards().stream()).toList();
    }

    /**
     * Return the schema version before.
     *
     * @return the version, or empty when the schema had none
     */
    public Optional<String> from() {
        return Optional.ofNullable(fromVersion);
    }

    /**
     * Return the schema version after.
     *
     * @return the version, or empty when there is none
     */
    public Optional<String> to() {
        return Optional.ofNullable(toVersion);
    }

    /**
     * Write this run's report into a directory (created when missing), replacing earlier ones:
     * {@code migrations.json} and {@value #REPORT_HTML}, the hazards first, then one table per
     * migration with each table it locked, the lock, the time held, the blocked reads and writes,
     * and whether it was rewritten. {@code @MigratedTo} writes the same into {@code stateful.report-dir}.
     *
     * @param directory where to write
     * @param title what the report is about, such as the test class
     * @return the HTML report
     * @throws java.io.UncheckedIOException when the directory cannot be written
     */
    public Path writeReport(Path directory, String title) {
        MigrationReportFiles.write(directory, title, this);
        return directory.resolve(REPORT_HTML);
    }
}
