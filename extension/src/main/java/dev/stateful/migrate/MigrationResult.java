package dev.stateful.migrate;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tell what one {@code migrate} did.
 *
 * @param fromVersion the schema version before, or {@code null} when there was none
 * @param toVersion the schema version after, or {@code null} when there is none
 * @param applied the migrations run, in order (repeatable ones included)
 * @param duration how long it took
 */
public record MigrationResult(String fromVersion, String toVersion, List<Migration> applied, Duration duration) {
    /**
     * Create the result.
     *
     * @param fromVersion the schema version before, or {@code null}
     * @param toVersion the schema version after, or {@code null}
     * @param applied the migrations run
     * @param duration how long it took
     */
    public MigrationResult {
        applied = List.copyOf(applied);
    }

    /**
     * Return the schema version before.
     *
     * @return the version, or empty when the schema had none
     */
    public Optional<String> from() {
        return Optional.ofNullable(fromVersion);
    }

    /**
     * Return the schema version after.
     *
     * @return the version, or empty when there is none
     */
    public Optional<String> to() {
        return Optional.ofNullable(toVersion);
    }
}
