package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulSettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which classes share the run's server with {@code stateful.server=shared}: decided from the
 * annotation before anything starts. Pure: no Docker engine.
 */
class SharedServerDecisionTest {
    private static final StatefulSettings SHARED = settings(Map.of("stateful.server", "shared"));
    private static final StatefulSettings OWN = settings(Map.of());

    @Test
    void aPlainClassSharesOnlyWhenTheRunSaysShared() {
        assertThat(SharedServers.shares(SHARED, annotation(SharedServerSamples.Plain.class))).isTrue();
        assertThat(SharedServers.shares(OWN, annotation(SharedServerSamples.Plain.class))).isFalse();
    }

    @Test
    void aClassThatAsksForAServerOfItsOwnGetsOne() {
        for (Class<?> type : new Class<?>[] {SharedServerSamples.Named.class, SharedServerSamples.Durable.class, SharedServerSamples.Image.class, SharedServerSamples.Database.class, SharedServerSamples.Username.class}) {
            assertThat(SharedServers.shares(SHARED, annotation(type))).as(type.getSimpleName()).isFalse();
        }
    }

    private static StatefulSettings settings(Map<String, String> parameters) {
        return StatefulSettings.fromParameters(name -> Optional.ofNullable(parameters.get(name)));
    }

    private static WithVolume annotation(Class<?> type) {
        return type.getAnnotation(WithVolume.class);
    }
}
