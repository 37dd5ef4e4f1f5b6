package dev.stateful.drill;

import dev.stateful.error.InvalidArgumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keep the history of a drill: one JSON line per run in a file of yours, appended by
 * {@link RestoreDrill#history(Path)} (the CLI's {@code --history FILE}), so that the recovery time
 * and each step's duration can be followed run after run. The CLI's HTML report draws them.
 *
 * <pre>{@code
 * DrillReport report = RestoreDrill.ofBackup(dump).history(Path.of("drills/history.jsonl")).run();
 * for (DrillHistory.Run run : DrillHistory.read(Path.of("drills/history.jsonl")).runs()) {
 *     run.startedAt();      // 2026-12-07T18:00:00Z
 *     run.recoveryTime();   // PT41.2S
 *     run.steps();          // {restore=PT38S, fingerprint restored=PT1.1S, checks=PT0.2S}
 * }
 * }</pre>
 *
 * <p>A line reads {@code {"startedAt": "...", "passed": true, "recoveryMillis": 41200,
 * "maxRecoveryMillis": 60000, "failure": null, "steps": [{"name": "restore", "millis": 38000,
 * "passed": true}, ...]}}; {@code maxRecoveryMillis} is {@code null} without a limit.
 */
public final class DrillHistory {
    /**
     * One recorded run.
     *
     * @param startedAt when it started
     * @param passed whether it passed
     * @param recoveryTime its recovery time
     * @param maxRecoveryTime the limit it ran with, or {@code null}
     * @param failure why it failed, or {@code null}
     * @param steps each step's duration, in the order run
     */
    public record Run(Instant startedAt, boolean passed, Duration recoveryTime, Duration maxRecoveryTime,
                      String failure, Map<String, Duration> steps) {
        /**
         * Create a run.
         *
         * @param startedAt when it started
         * @param passed whether it passed
         * @param recoveryTime its recovery time
         * @param maxRecoveryTime the limit, or {@code null}
         * @param failure why it failed, or {@code null}
         * @param steps each step's duration
         */
        public Run {
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(recoveryTime, "recoveryTime");
            steps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        }
    }

    private final Path file;
    private final List<Run> runs;

    private DrillHistory(Path file, List<Run> runs) {
        this.file = file;
        this.runs = List.copyOf(runs);
    }

    /**
     * Read a history file; a file that does not exist yet is an empty history.
     *
     * @param file the file, one JSON line per run
     * @return the history
     * @throws InvalidArgumentException when the path is a directory or a line is not a recorded run
     * @throws UncheckedIOException when the file cannot be read
     */
    public static DrillHistory read(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new InvalidArgumentException("history file '" + file.toAbsolutePath() + "' is a directory; expected "
                    + "a file with one JSON line per drill run. Fix: name a file, such as drills/history.jsonl.");
        }
        if (!Files.exists(file)) {
            return new DrillHistory(file, List.of());
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the drill history '" + file.toAbsolutePath() + "': "
                    + e.getMessage(), e);
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                runs.add(run(line));
            } catch (RuntimeException e) {
                throw new InvalidArgumentException("history file '" + file.toAbsolutePath() + "', line " + (i + 1)
                        + " is not a recorded drill run (" + e.getMessage() + "): '" + shorten(line) + "'; expected one "
                        + "JSON object per line as the drill writes it, with startedAt, passed, recoveryMillis and "
                        + "steps. Fix: remove or repair that line, or start a new history file.");
            }
        }
        return new DrillHistory(file, runs);
    }

    /**
     * Return the file.
     *
     * @return the history file
     */
    public Path file() {
        return file;
    }

    /**
     * Return the recorded runs, oldest first.
     *
     * @return the runs
     */
    public List<Run> runs() {
        return runs;
    }

    /** Append one line for a report to a history file, creating it and its directory. */
    static void append(Path file, DrillReport report, Duration maxRecoveryTime) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, line(report, maxRecoveryTime) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    static String line(DrillReport report, Duration maxRecoveryTime) {
        StringBuilder b = new StringBuilder("{\"startedAt\": ").append(DrillReport.quote(report.startedAt().toString()))
                .append(", \"passed\": ").append(report.passed())
                .append(", \"recoveryMillis\": ").append(report.recoveryTime().toMillis())
                .append(", \"maxRecoveryMillis\": ").append(maxRecoveryTime == null ? "null" : maxRecoveryTime.toMillis())
                .append(", \"failure\": ").append(report.failure().map(DrillReport::quote).orElse("null"))
                .append(", \"steps\": [");
        List<DrillReport.Step> steps = report.steps();
        for (int i = 0; i < steps.size(); i++) {
            DrillReport.Step s = steps.get(i);
            b.append(i == 0 ? "" : ", ").append("{\"name\": ").append(DrillReport.quote(s.name()))
                    .append(", \"millis\": ").append(s.duration().toMillis())
                    .append(", \"passed\": ").append(s.passed()).append('}');
        }
        return b.append("]}").toString();
    }

    @SuppressWarnings("unchecked")
    private static Run run(String line) {
        Object parsed = HistoryJson.parse(line);
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Instant startedAt;
        try {
            startedAt = Instant.parse(String.valueOf(required(map, "startedAt")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("startedAt is not an instant such as 2026-12-07T18:00:00Z");
        }
        boolean passed = Boolean.TRUE.equals(required(map, "passed"));
        Duration recovery = millis(required(map, "recoveryMillis"), "recoveryMillis");
        Object max = map.get("maxRecoveryMillis");
        Object failure = map.get("failure");
        Map<String, Duration> steps = new LinkedHashMap<>();
        Object list = required(map, "steps");
        if (!(list instanceof List<?> items)) {
            throw new IllegalArgumentException("steps is not an array");
        }
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> step)) {
                throw new IllegalArgumentException("a step is not an object");
            }
            steps.put(String.valueOf(required((Map<String, Object>) step, "name")),
                    millis(required((Map<String, Object>) step, "millis"), "millis"));
        }
        return new Run(startedAt, passed, recovery, max == null ? null : millis(max, "maxRecoveryMillis"),
                failure == null ? null : failure.toString(), steps);
    }

    private static Object required(Map<?, ?> map, String name) {
        if (!map.containsKey(name)) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return map.get(name);
    }

    private static Duration millis(Object value, String name) {
        if (!(value instanceof Number n) || n.longValue() < 0) {
            throw new IllegalArgumentException(name + " is not a number of milliseconds");
        }
        return Duration.ofMillis(n.longValue());
    }

    private static String shorten(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
