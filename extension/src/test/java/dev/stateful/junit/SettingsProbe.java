package dev.stateful.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Run example classes in a JVM of its own, whose environment and {@code junit-platform.properties}
 * the parent chose, and print what happened: {@code FAILURE <class>: <message>} and
 * {@code CAPTURED <key>=<values>} lines.
 */
public final class SettingsProbe {
    static final String FAILURE = "FAILURE ";
    static final String CAPTURED = "CAPTURED ";

    private SettingsProbe() {
    }

    /** The first line of each suppressed exception (the container's log tail says what became of it). */
    private static String suppressed(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable x : t.getSuppressed()) {
            s.append(" | suppressed: ").append(String.valueOf(x.getMessage()).lines().findFirst().orElse(""));
        }
        return s.toString();
    }

    public static void main(String[] args) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(true); // junit-platform.properties, as in a user's run
        for (String name : args) {
            kit.selectors(selectClass(name));
        }
        List<Event> failed = kit.execute()
                .allEvents().failed().list();
        for (Event event : failed) {
            event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(t -> System.out.println(FAILURE + t.getClass().getName() + ": "
                            + String.valueOf(t.getMessage()).replace('\n', ' ') + suppressed(t)));
        }
        new TreeMap<>(Captured.everything()).forEach((k, v) -> System.out.println(CAPTURED + k + "=" + v));
        System.out.flush();
        System.exit(0);
    }
}
