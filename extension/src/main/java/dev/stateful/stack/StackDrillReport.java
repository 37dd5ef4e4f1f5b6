package dev.stateful.stack;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link StackDrill} did: each step with its service and time, how long the live project
 * was paused, the per-service differences between the backup and the restored volumes, and the checks.
 */
public final class StackDrillReport {
    private final String project;
    private final List<Step> steps;
    private final long pausedMillis;
    private final List<String> differences;
    private final List<String> failedChecks;
    private final String failure;

    StackDrillReport(String project, List<Step> steps, long pausedMillis, List<String> differences,
            List<String> failedChecks, String failure) {
        this.project = project;
        this.steps = List.copyOf(steps);
        this.pausedMillis = pausedMillis;
        this.differences = List.copyOf(differences);
        this.failedChecks = List.copyOf(failedChecks);
        this.failure = failure;
    }

    /**
     * One step of the drill.
     *
     * @param name such as {@code backup}, {@code restore}, {@code compare}
     * @param service the service (or volume) it concerned, or {@code *} for the whole stack
     * @param millis how long it took
     * @param detail what it did
     */
    public record Step(String name, String service, long millis, String detail) {
    }

    /**
     * The drilled Compose project.
     *
     * @return its name
     */
    public String project() {
        return project;
    }

    /**
     * The steps in order.
     *
     * @return the steps
     */
    public List<Step> steps() {
        return steps;
    }

    /**
     * How long the live project's services were stopped for the consistent backup.
     *
     * @return milliseconds
     */
    public long pausedMillis() {
        return pausedMillis;
    }

    /**
     * Differences between the backup and the restored volumes, prefixed with the volume; empty when identical.
     *
     * @return one line per difference
     */
    public List<String> differences() {
        return differences;
    }

    /**
     * Whether every volume was restored identically, every service started on it and every check held.
     *
     * @return true when the drill passed
     */
    public boolean passed() {
        return failure == null && differences.isEmpty() && failedChecks.isEmpty();
    }

    /**
     * Why the drill failed.
     *
     * @return the reason, empty when it passed
     */
    public Optional<String> failure() {
        if (failure != null) {
            return Optional.of(failure);
        }
        if (!differences.isEmpty()) {
            return Optional.of("restored volumes differ from the backup: " + String.join("; ", differences));
        }
        return failedChecks.isEmpty() ? Optional.empty() : Optional.of("checks failed: " + String.join("; ", failedChecks));
    }

    /**
     * The report as text, one line per step.
     *
     * @return the report
     */
    public String toText() {
        StringBuilder out = new StringBuilder("Stack drill of Compose project '" + project + "': "
                + (passed() ? "PASSED" : "FAILED") + "\n");
        for (Step step : steps) {
            out.append(String.format(java.util.Locale.ROOT, "  %-10s %-14s %8d ms  %s%n", step.name(), step.service(),
                    step.millis(), step.detail()));
        }
        out.append("  the live project was paused for ").append(pausedMillis).append(" ms\n");
        failure().ifPresent(f -> out.append("  FAILED: ").append(f).append('\n'));
        return out.toString();
    }
}
