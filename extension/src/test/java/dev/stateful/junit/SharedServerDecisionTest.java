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
        assertThat(SharedServers.shares(SHARED, annotation(Plain.class))).isTrue();
        assertThat(SharedServers.shares(OWN, annotation(Plain.class))).isFalse();
    }

    @Test
    void aClassThatAsksForAServerOfItsOwnGetsOne() {
        for (Class<?> type : new Class<?>[] {Named.class, Durable.class, Image.class, Database.class, Username.class}) {
            assertThat(SharedServers.shares(SHARED, annotation(type))).as(type.getSimpleName()).isFalse();
        }
    }

    private static StatefulSettings settings(Map<String, String> parameters) {
        return StatefulSettings.fromParameters(name -> Optional.ofNullable(parameters.get(name)));
    }

    private static WithVolume annotation(Class<?> type) {
        return type.getAnnotation(WithVolume.class);
    }

    @WithVolume
    static class Plain {
    }

    @WithVolume(name = "orders-db")
    static class Named {
    }

    @WithVolume(durable = true)
    static class Durable {
    }

    @WithVolume(image = "postgres:15-bookworm")
    static class Image {
    }

    @WithVolume(database = "orders")
    static class Database {
    }

    @WithVolume(username = "app")
    static class Username {
    }
}
