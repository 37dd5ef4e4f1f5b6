package dev.stateful.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Run annotated example classes through the Jupiter engine and read what happened. */
final class Kit {
    private Kit() {
    }

    static EngineExecutionResults run(Class<?>... classes) {
        return run(Map.of(), classes);
    }

    static EngineExecutionResults run(Map<String, String> configuration, Class<?>... classes) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter")
                // Keep the example classes' own settings out of reach of the outer run's properties.
                .configurationParameters(configuration);
        for (Class<?> type : classes) {
            kit.selectors(selectClass(type));
        }
        return kit.execute();
    }

    /** Return the throwables of every failed test and container, in order. */
    static List<Throwable> failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .map(Kit::throwable)
                .flatMap(Optional::stream)
                .toList();
    }

    /** Return the only failure of the run, asserting that there is exactly one. */
    static Throwable onlyFailure(EngineExecutionResults results) {
        List<Throwable> failures = failures(results);
        if (failures.size() != 1) {
            AssertionError error = new AssertionError("expected exactly one failure, got " + failures.size());
            failures.forEach(error::addSuppressed);
            throw error;
        }
        return failures.get(0);
    }

    static Optional<Throwable> throwable(Event event) {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable);
    }
}
