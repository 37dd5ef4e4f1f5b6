package dev.stateful.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.stateful.StatefulPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/** A {@link Started} field that cannot hold a started handle fails the class, naming the field, before anything starts. */
class StartedHandlesTest {

    @Test
    void anInstanceFieldIsRefused() {
        assertThat(onlyFailure(InstanceField.class)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@Started on InstanceField.db: expected a static, non-final StatefulPostgres field. "
                        + "Fix: declare it as 'static StatefulPostgres db;'.");
    }

    @Test
    void aFieldOfAnotherTypeIsRefused() {
        assertThat(onlyFailure(OtherType.class)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@Started on OtherType.url: expected a static, non-final StatefulPostgres field. "
                        + "Fix: declare it as 'static StatefulPostgres url;'.");
    }

    private static Throwable onlyFailure(Class<?> example) {
        List<Throwable> failures = EngineTestKit.engine("junit-jupiter").selectors(selectClass(example)).execute()
                .allEvents().failed().stream()
                .flatMap(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).stream())
                .toList();
        assertThat(failures).hasSize(1);
        return failures.get(0);
    }

    // The extension itself, not @StartedHandles: these examples never reach Docker.
    @ExtendWith(StartedHandlesExtension.class)
    static class InstanceField {
        @Started
        StatefulPostgres db;

        @Test
        void test() {
        }
    }

    @ExtendWith(StartedHandlesExtension.class)
    static class OtherType {
        @Started
        static String url;

        @Test
        void test() {
        }
    }
}
