package dev.stateful.stack;

import dev.stateful.internal.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a {@link StackDrill} did: each step with its service and time, how long the live project
 * was paused, each service's fingerprint compared between the live project and the restored copy,
 * and the checks. {@link #toText()} and {@link #toJson()} render it; the drill CLI adds an HTML page.
 */
public final class StackDrillReport {
    private final String project;
    private final Instant startedAt;
    private final List<Step> steps;
    private final long pausedMillis;
    private final List<ServiceResult> services;
    private final List<Check> checks;
    private final String failure;

    StackDrillReport(String project, Instant startedAt, List<Step> steps, long pausedMillis, List<ServiceResult> services,
            List<Check> checks, String failure) {
        this.project = project;
        this.startedAt = startedAt;
        this.steps = List.copyOf(steps);
        this.pausedMillis = pausedMillis;
        this.services = List.copyOf(services);
        this.checks = List.copyOf(checks);
        this.failure = failure;
    }

    /**
     * One step of the drill.
     *
     * @param name such as {@code backup}, {@code restore}, {@code fingerprint}, {@code compare}
     * @param service the service it concerned, or {@code *} for the whole stack
     * @param millis how long it took
     * @param detail what it did
     */
    public record Step(String name, String service, long millis, String detail) {
    }

    /**
     * One {@code --check} query on the restored Postgres service.
     *
     * @param sql the query, which must return {@code true}
     * @param passed whether it did
     * @param detail its result or error
     */
    public record Check(String sql, boolean passed, String detail) {
    }

    /**
     * One service's fingerprint, live project against restored copy.
     *
     * @param service the service's name
     * @param store {@code postgres}, {@code redis} or {@code volumes}
     * @param live what the live project's store holds, such as {@code 1 table, 2 rows}
     * @param restored what the restored copy holds
     * @param differences one readable line per difference; empty when identical
     */
    public record ServiceResult(String service, String store, String live, String restored, List<String> differences) {
        /** Copy the differences. */
        public ServiceResult {
            differences = List.copyOf(differences);
        }

        /**
         * Whether the restored copy equals the live store.
         *
         * @return true without differences
         */
        public boolean identical() {
            return differences.isEmpty();
        }
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
     * When the drill started.
     *
     * @return the instant
     */
    public Instant startedAt() {
        return startedAt;
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
     * Each service's comparison, in the compose file's order; empty when the drill failed before it.
     *
     * @return the results
     */
    public List<ServiceResult> services() {
        return services;
    }

    /**
     * Every difference between the live project and the restored copy, prefixed with the service.
     *
     * @return one line per difference; empty when identical
     */
    public List<String> differences() {
        List<String> all = new ArrayList<>();
        services.forEach(s -> all.addAll(s.differences()));
        return all;
    }

    /**
     * The {@code --check} queries run on the restored Postgres service.
     *
     * @return the checks with their results
     */
    public List<Check> checks() {
        return checks;
    }

    /**
     * Whether every service was restored identically to the live project and every check held.
     *
     * @return true when the drill passed
     */
    public boolean passed() {
        return failure == null && !services.isEmpty() && differences().isEmpty()
                && checks.stream().allMatch(Check::passed);
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
        if (services.isEmpty()) {
            return Optional.of("no service was compared");
        }
        if (!differences().isEmpty()) {
            return Optional.of("the restored copy differs from the live project: " + String.join("; ", differences()));
        }
        List<String> failed = new ArrayList<>();
        checks.stream().filter(c -> !c.passed()).forEach(c -> failed.add(c.sql() + " returned " + c.detail()));
        return failed.isEmpty() ? Optional.empty() : Optional.of("checks failed: " + String.join("; ", failed));
    }

    /**
     * The report as text: one line per step, then one per service.
     *
     * @return the report
     */
    public String toText() {
        StringBuilder out = new StringBuilder("Stack drill of Compose project '" + project + "': "
                + (passed() ? "PASSED" : "FAILED") + "\n");
        for (Step step : steps) {
            out.append(String.format(Locale.ROOT, "  %-11s %-14s %8d ms  %s%n", step.name(), step.service(),
                    step.millis(), step.detail()));
        }
        out.append("  the live project was paused for ").append(pausedMillis).append(" ms\n");
        for (ServiceResult s : services) {
            out.append(String.format(Locale.ROOT, "  service %-14s %-8s %s (live: %s; restored: %s)%n", s.service(),
                    s.store(), s.identical() ? "identical" : s.differences().size() + " differences", s.live(), s.restored()));
            s.differences().forEach(d -> out.append("    ").append(d).append('\n'));
        }
        failure().ifPresent(f -> out.append("  FAILED: ").append(f).append('\n'));
        return out.toString();
    }

    /**
     * The report as JSON: the steps, each service's result with its differences, the checks.
     *
     * @return a JSON object
     */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"kind\": \"stack\",\n  \"project\": ").append(Json.quote(project))
                .append(",\n  \"passed\": ").append(passed())
                .append(",\n  \"startedAt\": ").append(Json.quote(startedAt.toString()))
                .append(",\n  \"pausedMillis\": ").append(pausedMillis)
                .append(",\n  \"failure\": ").append(failure().map(Json::quote).orElse("null"))
                .append(",\n  \"steps\": [");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(Json.quote(s.name()))
                    .append(", \"service\": ").append(Json.quote(s.service()))
                    .append(", \"millis\": ").append(s.millis())
                    .append(", \"detail\": ").append(Json.quote(s.detail())).append('}');
        }
        json.append(steps.isEmpty() ? "],\n" : "\n  ],\n").append("  \"services\": [");
        for (int i = 0; i < services.size(); i++) {
            ServiceResult s = services.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"service\": ").append(Json.quote(s.service()))
                    .append(", \"store\": ").append(Json.quote(s.store()))
                    .append(", \"identical\": ").append(s.identical())
                    .append(", \"live\": ").append(Json.quote(s.live()))
                    .append(", \"restored\": ").append(Json.quote(s.restored()))
                    .append(", \"differences\": [");
            for (int d = 0; d < s.differences().size(); d++) {
                json.append(d == 0 ? "" : ", ").append(Json.quote(s.differences().get(d)));
            }
            json.append("]}");
        }
        json.append(services.isEmpty() ? "],\n" : "\n  ],\n").append("  \"checks\": [");
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"sql\": ").append(Json.quote(c.sql()))
                    .append(", \"passed\": ").append(c.passed())
                    .append(", \"detail\": ").append(Json.quote(c.detail())).append('}');
        }
        json.append(checks.isEmpty() ? "]\n" : "\n  ]\n");
        return json.append("}\n").toString();
    }
}
