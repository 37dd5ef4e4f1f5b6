package dev.stateful.drill;

import dev.stateful.DatabaseFingerprint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Hold the outcome of a {@link RestoreDrill}: each step with its duration, the backup's size,
 * the fingerprints of source and restored database, the checks, and whether the drill passed.
 * {@link #recoveryTime()} is the time from destroying the source to a verified restore (the RTO).
 */
public final class DrillReport {
    /**
     * One step of the drill.
     *
     * @param name such as {@code backup}, {@code destroy}, {@code restore}, {@code migrate}, {@code verify}
     * @param duration how long it took
     * @param passed whether it succeeded
     * @param detail what it did or why it failed
     */
    public record Step(String name, Duration duration, boolean passed, String detail) {
    }

    /**
     * One SQL check.
     *
     * @param sql the query, which must return {@code true}
     * @param passed whether it did
     * @param detail its result or error
     */
    public record Check(String sql, boolean passed, String detail) {
    }

    private final Instant startedAt = Instant.now();
    private final List<Step> steps = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private String source = "";
    private String target = "";
    private String backupFile = "";
    private long backupBytes = -1;
    private DatabaseFingerprint sourceFingerprint;
    private DatabaseFingerprint restoredFingerprint;
    private String failure;

    DrillReport() {
    }

    void step(Step step) {
        steps.add(step);
        log("%s %s in %d ms%s", step.name(), step.passed() ? "passed" : "FAILED", step.duration().toMillis(),
                step.detail().isEmpty() ? "" : ": " + step.detail());
    }

    void check(Check check) {
        checks.add(check);
    }

    void log(String format, Object... args) {
        log.add(String.format(Locale.ROOT, format, args));
    }

    void source(String value) {
        source = value;
    }

    void target(String value) {
        target = value;
    }

    void backup(String file, long bytes) {
        backupFile = file;
        backupBytes = bytes;
    }

    void fingerprints(DatabaseFingerprint sourceValue, DatabaseFingerprint restoredValue) {
        if (sourceValue != null) {
            sourceFingerprint = sourceValue;
        }
        if (restoredValue != null) {
            restoredFingerprint = restoredValue;
        }
    }

    void fail(String message) {
        if (failure == null) {
            failure = message;
        }
    }

    /**
     * Tell whether every step and check passed.
     *
     * @return {@code true} when the drill passed
     */
    public boolean passed() {
        return failure == null && steps.stream().allMatch(Step::passed) && checks.stream().allMatch(Check::passed);
    }

    /**
     * Return why the drill failed: the failing step and its reason.
     *
     * @return the reason, or empty when it passed
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Return the steps in order.
     *
     * @return the steps
     */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /**
     * Return the SQL checks.
     *
     * @return the checks
     */
    public List<Check> checks() {
        return List.copyOf(checks);
    }

    /**
     * Return the drill's log lines.
     *
     * @return the log
     */
    public List<String> log() {
        return List.copyOf(log);
    }

    /**
     * Return when the drill started.
     *
     * @return the instant
     */
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * Return the time from destroying the source to a verified restore: the recovery time.
     *
     * @return the sum of the steps after the backup
     */
    public Duration recoveryTime() {
        return steps.stream().filter(s -> !s.name().equals("backup") && !s.name().equals("fingerprint source"))
                .map(Step::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * Return the backup's size.
     *
     * @return bytes, or -1 when no backup was written
     */
    public long backupBytes() {
        return backupBytes;
    }

    /**
     * Return the fingerprint of the source.
     *
     * @return it, or empty when the source could not be read
     */
    public Optional<DatabaseFingerprint> sourceFingerprint() {
        return Optional.ofNullable(sourceFingerprint);
    }

    /**
     * Return the fingerprint of the restored database, taken before any migration.
     *
     * @return it, or empty when the restore did not get that far
     */
    public Optional<DatabaseFingerprint> restoredFingerprint() {
        return Optional.ofNullable(restoredFingerprint);
    }

    /**
     * Return the values worth publishing, e.g. with JUnit's {@code TestReporter}.
     *
     * @return key to value, in a stable order
     */
    public Map<String, String> summary() {
        Map<String, String> summary = new java.util.LinkedHashMap<>();
        summary.put("drill.passed", Boolean.toString(passed()));
        summary.put("drill.recovery-ms", Long.toString(recoveryTime().toMillis()));
        summary.put("drill.backup-bytes", Long.toString(backupBytes));
        for (Step step : steps) {
            summary.put("drill.step." + step.name().replace(' ', '-') + "-ms", Long.toString(step.duration().toMillis()));
        }
        failure().ifPresent(f -> summary.put("drill.failure", f));
        return summary;
    }

    /**
     * Render the report as JSON.
     *
     * @return a JSON object
     */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\n");
        field(json, "passed", Boolean.toString(passed()), false);
        field(json, "startedAt", quote(startedAt.toString()), false);
        field(json, "source", quote(source), false);
        field(json, "target", quote(target), false);
        field(json, "backupFile", quote(backupFile), false);
        field(json, "backupBytes", Long.toString(backupBytes), false);
        field(json, "recoveryMillis", Long.toString(recoveryTime().toMillis()), false);
        field(json, "failure", failure == null ? "null" : quote(failure), false);
        json.append("  \"steps\": [");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(quote(s.name()))
                    .append(", \"millis\": ").append(s.duration().toMillis())
                    .append(", \"passed\": ").append(s.passed())
                    .append(", \"detail\": ").append(quote(s.detail())).append('}');
        }
        json.append(steps.isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"checks\": [");
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"sql\": ").append(quote(c.sql()))
                    .append(", \"passed\": ").append(c.passed())
                    .append(", \"detail\": ").append(quote(c.detail())).append('}');
        }
        json.append(checks.isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"tables\": ").append(tablesJson()).append(",\n");
        json.append("  \"log\": [");
        for (int i = 0; i < log.size(); i++) {
            json.append(i == 0 ? "\n    " : ",\n    ").append(quote(log.get(i)));
        }
        json.append(log.isEmpty() ? "]\n" : "\n  ]\n");
        return json.append("}\n").toString();
    }

    private String tablesJson() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        if (sourceFingerprint != null) {
            names.addAll(sourceFingerprint.tables().keySet());
        }
        if (restoredFingerprint != null) {
            names.addAll(restoredFingerprint.tables().keySet());
        }
        StringBuilder json = new StringBuilder("[");
        int i = 0;
        for (String name : names) {
            var src = sourceFingerprint == null ? null : sourceFingerprint.tables().get(name);
            var dst = restoredFingerprint == null ? null : restoredFingerprint.tables().get(name);
            json.append(i++ == 0 ? "\n" : ",\n").append("    {\"table\": ").append(quote(name))
                    .append(", \"sourceRows\": ").append(src == null ? "null" : Long.toString(src.rows()))
                    .append(", \"sourceHash\": ").append(src == null ? "null" : quote(src.hash()))
                    .append(", \"restoredRows\": ").append(dst == null ? "null" : Long.toString(dst.rows()))
                    .append(", \"restoredHash\": ").append(dst == null ? "null" : quote(dst.hash()))
                    .append(", \"equal\": ").append(src != null && src.equals(dst)).append('}');
        }
        return json.append(i == 0 ? "]" : "\n  ]").toString();
    }

    private static void field(StringBuilder json, String name, String value, boolean last) {
        json.append("  \"").append(name).append("\": ").append(value).append(last ? "\n" : ",\n");
    }

    static String quote(String value) {
        return dev.stateful.internal.Json.quote(value);
    }
}
