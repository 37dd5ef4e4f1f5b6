package dev.stateful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatefulSettingsTest {

    @Test
    void parsesWholeSeconds() {
        assertThat(StatefulSettings.parseSeconds("stateful.startup-timeout", "120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(StatefulSettings.parseSeconds("stateful.startup-timeout", " 5 ")).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1.5", "60s", "abc", ""})
    void rejectsEverythingElse(String value) {
        assertThatThrownBy(() -> StatefulSettings.parseSeconds("stateful.startup-timeout", value))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("stateful.startup-timeout '" + value + "' is invalid; expected a positive whole number of "
                        + "seconds. Fix: set it to, for example, 120.");
    }

    @Test
    void startupTimeoutFromASystemPropertyIsNamedInItsMessage() {
        String before = System.getProperty(StatefulSettings.STARTUP_TIMEOUT_PROPERTY_NAME);
        try {
            System.setProperty(StatefulSettings.STARTUP_TIMEOUT_PROPERTY_NAME, "7");
            assertThat(StatefulSettings.defaultStartupTimeout()).isEqualTo(Duration.ofSeconds(7));
            System.setProperty(StatefulSettings.STARTUP_TIMEOUT_PROPERTY_NAME, "soon");
            assertThatThrownBy(StatefulSettings::defaultStartupTimeout)
                    .hasMessageStartingWith("stateful.startup-timeout 'soon' is invalid");
        } finally {
            if (before == null) {
                System.clearProperty(StatefulSettings.STARTUP_TIMEOUT_PROPERTY_NAME);
            } else {
                System.setProperty(StatefulSettings.STARTUP_TIMEOUT_PROPERTY_NAME, before);
            }
        }
    }
}
