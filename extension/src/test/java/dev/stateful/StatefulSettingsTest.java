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
    void bindAddressDefaultsToLoopbackAndRejectsHostNames() {
        String before = System.getProperty(StatefulSettings.BIND_ADDRESS_PROPERTY_NAME);
        try {
            System.clearProperty(StatefulSettings.BIND_ADDRESS_PROPERTY_NAME);
            if (System.getenv(StatefulSettings.BIND_ADDRESS_ENV_NAME) == null) {
                assertThat(StatefulSettings.bindAddress()).isEqualTo("127.0.0.1");
            }
            System.setProperty(StatefulSettings.BIND_ADDRESS_PROPERTY_NAME, "0.0.0.0");
            assertThat(StatefulSettings.bindAddress()).isEqualTo("0.0.0.0");
            System.setProperty(StatefulSettings.BIND_ADDRESS_PROPERTY_NAME, "build-host");
            assertThatThrownBy(StatefulSettings::bindAddress)
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("stateful.bind-address 'build-host' is invalid; expected an IP address such as 127.0.0.1. "
                            + "Fix: set it to the address of the Docker host's interface to publish on.");
        } finally {
            if (before == null) {
                System.clearProperty(StatefulSettings.BIND_ADDRESS_PROPERTY_NAME);
            } else {
                System.setProperty(StatefulSettings.BIND_ADDRESS_PROPERTY_NAME, before);
            }
        }
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

    @Test
    void sweepForeignAgeFromASystemProperty() {
        String name = StatefulSettings.SWEEP_FOREIGN_AGE_PROPERTY_NAME;
        String before = System.getProperty(name);
        try {
            System.clearProperty(name);
            if (System.getenv(StatefulSettings.SWEEP_FOREIGN_AGE_ENV_NAME) == null) {
                assertThat(StatefulSettings.sweepForeignAge()).isEqualTo(Duration.ofDays(1));
            }
            System.setProperty(name, "3600");
            assertThat(StatefulSettings.sweepForeignAge()).isEqualTo(Duration.ofHours(1));
            for (String bad : new String[] {"soon", "0", "-5", "1.5"}) {
                System.setProperty(name, bad);
                assertThatThrownBy(StatefulSettings::sweepForeignAge)
                        .isInstanceOf(InvalidArgumentException.class)
                        .hasMessage("stateful.sweep.foreign-age '" + bad + "' is invalid; expected a positive whole "
                                + "number of seconds. Fix: set it to, for example, 120.");
            }
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }
}
