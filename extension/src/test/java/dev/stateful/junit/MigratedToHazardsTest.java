package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.cache.StateCache;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/**
 * {@code @MigratedTo(failOnHazard)} as a user meets it: a migration set whose second migration
 * builds an index on a table of 200,000 rows under a lock that blocks writes fails the class
 * before its tests with the listed hazard; with the default the class runs and the hazard is a
 * report entry. Both ways the report files are written, and also when a migration fails.
 */
@Tag("docker")
class MigratedToHazardsTest {
    static final String SET = "classpath:stateful-test/migrations/safety-junit";
    static final String FAILING_SET = "classpath:stateful-test/migrations/safety-junit-failing";
    private static final DockerEngine ENGINE = DockerEngine.get();

    @TempDir
    Path reports;

    private Map<String, String> configuration() {
        return Map.of("stateful.report-dir", reports.toString(), "stateful.cache", "off");
    }

    @Test
    void failOnHazardFailsTheClassBeforeItsTestsWithEveryHazard() throws IOException {
        EngineExecutionResults results = Kit.run(configuration(), FailingOnHazards.class);

        results.testEvents().assertStatistics(s -> s.started(0));
        Throwable failure = Kit.onlyFailure(results);
        assertThat(failure).isInstanceOf(AssertionFailedError.class);
        Path dir = reports.resolve(FailingOnHazards.class.getName());
        // Times vary from run to run; everything else is exact.
        assertThat(failure.getMessage().replaceAll("[0-9]+ ms", "N ms")).isEqualTo(
                "@MigratedTo on MigratedToHazardsTest.FailingOnHazards: 1 migration hazard; expected none, because "
                        + "failOnHazard = true:\n"
                        + "  - V2 index orders by customer (V2__index_orders_by_customer.sql): BLOCKING_INDEX_BUILD on "
                        + "public.orders (200000 rows): SHARE held N ms, reads blocked N ms, writes blocked N ms; "
                        + "built index public.orders_customer_idx under SHARE in \"CREATE INDEX orders_customer_idx "
                        + "ON orders (customer)\". Fix: CREATE INDEX CONCURRENTLY in a migration of its own, outside "
                        + "a transaction.\n"
                        + "Report: " + dir.resolve("migrations.html") + ". Fix: follow each hazard's advice, or set "
                        + "failOnHazard = false to report hazards without failing.");
        assertThat(failure.getMessage()).contains("reads blocked 0 ms");
        assertThat(Files.readString(dir.resolve("migrations.json"))).contains("\"kind\": \"BLOCKING_INDEX_BUILD\"",
                "\"table\": \"public.orders\"", "\"rows\": 200000", "\"lock\": \"SHARE\"");
        assertThat(Files.readString(dir.resolve("migrations.html"))).contains("<h2>Hazards (1)</h2>",
                "<strong>H1 BLOCKING_INDEX_BUILD</strong> on <code>public.orders</code> (200000 rows) in V2 index orders by "
                        + "customer (V2__index_orders_by_customer.sql): SHARE held ",
                "<p class=\"advice\">Fix: CREATE INDEX CONCURRENTLY in a migration of its own, outside a transaction</p>",
                "<g class=\"lane\" data-table=\"public.orders\">");
    }

    @Test
    void byDefaultTheHazardsAreReportEntriesAndTheTestsRun() throws IOException {
        EngineExecutionResults results = Kit.run(configuration(), ReportingHazards.class);

        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        List<String> entries = results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .flatMap(m -> m.entrySet().stream()).map(e -> e.getKey() + "=" + e.getValue()).toList();
        assertThat(entries).anyMatch(e -> e.startsWith("stateful.hazard.1=V2 index orders by customer "
                + "(V2__index_orders_by_customer.sql): BLOCKING_INDEX_BUILD on public.orders (200000 rows): SHARE held "));
        assertThat(entries).anyMatch(e -> e.startsWith("stateful.migrations=3 migration(s) applied, 3 observed, 1 hazard(s)"));
        assertThat(Files.readString(reports.resolve(ReportingHazards.class.getName()).resolve("migrations.json")))
                .contains("\"script\": \"V1__create_orders.sql\"", "\"script\": \"V2__index_orders_by_customer.sql\"");
    }

    @Test
    void aMigrationFailingHalfwayLeavesTheReportOfTheStepsBeforeItAndOfTheFailedOne() throws IOException {
        EngineExecutionResults results = Kit.run(configuration(), FailingHalfway.class);

        results.testEvents().assertStatistics(s -> s.started(0));
        assertThat(Kit.onlyFailure(results)).isInstanceOf(MigrationFailedException.class)
                .hasMessageContaining("V3__check_totals.sql").hasMessageContaining("total_below_50");
        Path dir = reports.resolve(FailingHalfway.class.getName());
        String json = Files.readString(dir.resolve("migrations.json"));
        assertThat(json).contains("\"from\": null", "\"to\": \"2\"", "\"kind\": \"BLOCKING_INDEX_BUILD\"");
        // The steps in the order run: the two applied, then the failed one, marked so.
        assertThat(json.substring(json.indexOf("\"steps\": ["))).containsSubsequence(
                "\"script\": \"V1__create_orders.sql\"}", "\"failed\": false",
                "\"script\": \"V2__index_orders_by_customer.sql\"}", "\"failed\": false",
                "\"script\": \"V3__check_totals.sql\"}", "\"failed\": true",
                "{\"table\": \"public.orders\", \"lock\": \"ACCESS_EXCLUSIVE\"");
        assertThat(Files.readString(dir.resolve("migrations.html"))).contains("<h2>Hazards (1)</h2>",
                "<h2>V3 check totals (V3__check_totals.sql)</h2>\n<p>Failed after ");
    }

    @Test
    void maxBlockingFromAConfigurationParameterMakesAShortExclusiveLockAHazard() {
        Map<String, String> configuration = new java.util.HashMap<>(configuration());
        configuration.put("stateful.migrate.max-blocking", "100ms");
        EngineExecutionResults results = Kit.run(configuration, ReportingHazards.class);

        results.testEvents().assertStatistics(s -> s.succeeded(1));
        List<String> entries = results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .flatMap(m -> m.values().stream()).toList();
        assertThat(entries).anyMatch(e -> e.startsWith("V3 order note then pause (V3__order_note_then_pause.sql): "
                + "LONG_EXCLUSIVE_LOCK on public.orders (200000 rows): ACCESS EXCLUSIVE held "));
    }

    @Test
    void failOnHazardOnAMethodFailsThatMethodOnly() {
        EngineExecutionResults results = Kit.run(configuration(), MethodFailingOnHazards.class);

        results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertThat(Kit.onlyFailure(results)).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("@MigratedTo on MigratedToHazardsTest.MethodFailingOnHazards.migrated(): "
                        + "1 migration hazard; expected none, because failOnHazard = true:\n  - V2 index orders by "
                        + "customer (V2__index_orders_by_customer.sql): BLOCKING_INDEX_BUILD on public.orders")
                .hasMessageContaining("Report: " + reports.resolve(MethodFailingOnHazards.class.getName())
                        .resolve("migrated").resolve("migrations.html"));
    }

    @Test
    void aStateCacheHitRunsNoMigrationAndTheReportEntrySaysSo() throws IOException {
        Path set = Files.createDirectory(reports.resolve("cached-set"));
        // A unique comment: the cache key is this run's own.
        Files.writeString(set.resolve("V1__cached.sql"), "-- " + UUID.randomUUID() + "\nCREATE TABLE cached (id int);\n");
        Map<String, String> configuration = Map.of("stateful.report-dir", reports.toString(), "stateful.cache",
                "readwrite", "stateful.cache.max-entries", "1000", "stateful.flyway.locations", "filesystem:" + set);
        Set<String> before = cacheMarkers();
        try {
            assertThat(entries(Kit.run(configuration, Cached.class)))
                    .anyMatch(e -> e.startsWith("1 migration(s) applied, 1 observed, 0 hazard(s); report "));
            assertThat(entries(Kit.run(configuration, Cached.class))).contains("no migration ran for "
                    + "MigratedToHazardsTest.Cached: the state came from the state cache or a snapshot, so nothing was "
                    + "observed (failOnHazard = true observes every run)");
            assertThat(Files.readString(reports.resolve("index.html"))).as("the run's index").contains(
                    "<tr class=\"report unobserved\"><td>MigratedToHazardsTest.<wbr>Cached</td><td class=\"num worst\">-"
                            + "</td><td>none ran: the state came from the state cache or a snapshot");
        } finally {
            Set<String> added = new HashSet<>(cacheMarkers());
            added.removeAll(before);
            for (String marker : added) {
                ENGINE.volumeLabels(marker).map(l -> l.get(StateCache.KEY_LABEL)).ifPresent(key ->
                        ENGINE.volumesLabelled(StateCache.DATA_LABEL, key).keySet().forEach(ENGINE::removeVolume));
                ENGINE.removeVolume(marker);
            }
        }
    }

    private static List<String> entries(EngineExecutionResults results) {
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .flatMap(m -> m.values().stream()).toList();
    }

    /** Cache markers this JVM stored. */
    private static Set<String> cacheMarkers() {
        Set<String> names = new HashSet<>();
        ENGINE.volumesLabelled(StateCache.KEY_LABEL, null).forEach((name, labels) -> {
            if (Labels.runId().equals(labels.get(Labels.RUN)) && labels.get(StateCache.KEY_LABEL) != null) {
                names.add(name);
            }
        });
        return names;
    }

    // ------------------------------------------------------------------ examples

    @WithVolume
    @MigratedTo
    static class Cached {
        @Test
        void runs(StatefulPostgres db) {
        }
    }

    // tag::fail-on-hazard[]
    @WithVolume
    @MigratedTo(locations = SET, failOnHazard = true)
    static class FailingOnHazards {
        @Test
        void neverRuns(StatefulPostgres db) {
        }
    }
    // end::fail-on-hazard[]

    @WithVolume
    @MigratedTo(locations = FAILING_SET)
    static class FailingHalfway {
        @Test
        void neverRuns(StatefulPostgres db) {
        }
    }

    @WithVolume
    static class MethodFailingOnHazards {
        @Test
        void plain(StatefulPostgres db) {
            assertThat(db.migrations().schemaVersion()).isEmpty();
        }

        @Test
        @MigratedTo(locations = SET, failOnHazard = true)
        void migrated(StatefulPostgres db) {
        }
    }

    @WithVolume
    @MigratedTo(locations = SET)
    static class ReportingHazards {
        @Test
        void runs(StatefulPostgres db) {
            assertThat(db.migrations().schemaVersion()).contains("3");
        }
    }
}
