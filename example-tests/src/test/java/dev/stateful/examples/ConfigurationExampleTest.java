package dev.stateful.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.Setting;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.error.InvalidArgumentException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where settings come from and how a bad value is refused, as docs/configuration.md shows it. Pure: no engine. */
class ConfigurationExampleTest {
    @Test
    void aParameterWinsOverTheEnvironmentAndNamesWhereItCameFrom() {
        // tag::sources[]
        Map<String, String> parameters = Map.of("stateful.snapshot-pool", "2");    // junit-platform.properties
        Map<String, String> environment = Map.of("STATEFUL_SNAPSHOT_POOL", "0", "STATEFUL_IMAGE", "postgres:17-trixie");
        StatefulSettings settings = StatefulSettings.of(name -> Optional.ofNullable(parameters.get(name)), environment);

        assertThat(settings.get(Setting.SNAPSHOT_POOL)).isEqualTo(2);               // the parameter wins
        assertThat(settings.get(Setting.IMAGE)).isEqualTo("postgres:17-trixie");    // the environment, where no parameter is set
        assertThat(settings.get(Setting.CACHE_MAX_ENTRIES)).isEqualTo(10);          // the default
        // end::sources[]
    }

    @Test
    void aBadValueIsRefusedBeforeAnythingStarts() {
        // tag::bad-value[]
        assertThatThrownBy(() -> StatefulPostgres.builder().snapshotPool(9))     // no container, no volume
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("snapshotPool '9' is invalid; expected a whole number from 0 to 8. "
                        + "Fix: use 1 (the default) or 0 to turn the pool off.");
        assertThatThrownBy(() -> StatefulSettings.of(name -> Optional.empty(), Map.of("STATEFUL_CACHE", "sometimes"))
                        .get(Setting.CACHE))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("STATEFUL_CACHE 'sometimes' (from an environment variable) is invalid;");
        // end::bad-value[]
    }
}
