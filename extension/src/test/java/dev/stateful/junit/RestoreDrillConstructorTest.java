package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.drill.DrillReport;
import dev.stateful.drill.RestoreDrill;
import dev.stateful.StatefulPostgres;
import dev.stateful.testing.Sql;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/** A RestoreDrill resolved for a constructor is reported and released like one resolved for a method. */
@Tag("docker")
@Tag("also-on-junit6")
class RestoreDrillConstructorTest {

    @Test
    void perMethodAndPerClassConstructorDrillsAreReported() {
        Captured.clear();
        EngineExecutionResults results = Kit.run(Map.of("stateful.cache", "off"), PerMethod.class, PerClass.class);
        results.allEvents().assertStatistics(s -> s.failed(0));
        List<Map<String, String>> entries = results.allEvents().reportingEntryPublished().stream()
                .map(Event::getPayload).flatMap(p -> p.stream().map(ReportEntry.class::cast))
                .map(ReportEntry::getKeyValuePairs).filter(m -> m.containsKey("drill.passed")).toList();
        assertThat(entries).as("one report per drill that ran").hasSize(2)
                .allSatisfy(m -> assertThat(m).containsEntry("drill.passed", "true"));
    }

    static DrillReport drill(StatefulPostgres db, RestoreDrill drill) throws Exception {
        Sql.run(db, "CREATE TABLE IF NOT EXISTS items (id int)", "INSERT INTO items VALUES (1)");
        return drill.expectTables("items").run();
    }

    @WithVolume
    static class PerMethod {
        private final StatefulPostgres db;
        private final RestoreDrill drill;

        PerMethod(StatefulPostgres db, RestoreDrill drill) {
            this.db = db;
            this.drill = drill;
        }

        @Test
        void runsTheDrill() throws Exception {
            assertThat(drill(db, drill).passed()).isTrue();
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClass extends PerMethod {
        PerClass(StatefulPostgres db, RestoreDrill drill) {
            super(db, drill);
        }
    }
}
