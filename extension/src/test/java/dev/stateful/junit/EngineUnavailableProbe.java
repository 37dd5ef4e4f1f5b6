package dev.stateful.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.stateful.StatefulPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Run a {@code @WithVolume} class in a JVM of its own, where the Docker engine is unreachable
 * (the parent sets {@code DOCKER_HOST}), and print what the user sees: one line
 * {@code FAILURE <exception class>: <message>}.
 */
public final class EngineUnavailableProbe {
    static final String MARKER = "FAILURE ";

    private EngineUnavailableProbe() {
    }

    public static void main(String[] args) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Annotated.class))
                .execute()
                .allEvents().failed().list();
        for (Event event : failed) {
            event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                    .ifPresent(t -> System.out.println(MARKER + t.getClass().getName() + ": "
                            + t.getMessage().replace('\n', ' ')));
        }
        System.out.flush();
        System.exit(failed.isEmpty() ? 2 : 0);
    }

    @WithVolume
    static class Annotated {
        @Test
        void needsADatabase(StatefulPostgres db) {
            db.jdbcUrl();
        }
    }
}
