package dev.stateful.internal.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine layer needs of the resolved settings, passed in by the layer that resolves
 * them ({@code StatefulSettings}); the engine reads no system property or variable itself.
 *
 * @param dockerHost the {@code DOCKER_HOST} the user set, for the check that Testcontainers used it
 * @param sweepForeignAge how old a leftover of another host or pid namespace must be to be swept
 * @param commandTimeout the deadline of one command run in a container
 * @param engineTimeout the deadline of one call to the engine
 */
public record EngineSettings(Optional<String> dockerHost, Duration sweepForeignAge, Duration commandTimeout,
        Duration engineTimeout) {
    /** The defaults: no DOCKER_HOST check, a day, two hours, a minute (as the settings' defaults). */
    public static final EngineSettings DEFAULTS = new EngineSettings(Optional.empty(), Duration.ofDays(1),
            Duration.ofHours(2), Duration.ofSeconds(60));

    /**
     * Check the values.
     *
     * @param dockerHost the DOCKER_HOST variable, empty when unset
     * @param sweepForeignAge positive
     * @param commandTimeout positive
     * @param engineTimeout positive
     */
    public EngineSettings {
        Objects.requireNonNull(dockerHost, "dockerHost");
        Objects.requireNonNull(sweepForeignAge, "sweepForeignAge");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(engineTimeout, "engineTimeout");
    }
}
