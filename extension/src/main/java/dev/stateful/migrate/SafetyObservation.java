package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import java.time.Duration;
import java.util.Objects;

/**
 * Say whether {@link Migrations} observes what each migration does while it runs (locks,
 * rewrites, blocked reads and writes; see {@link MigrationStep}) and from how long a blocked
 * read counts as a {@link HazardKind#LONG_EXCLUSIVE_LOCK}.
 *
 * <pre>{@code
 * db.migrations().withObservation(SafetyObservation.defaults().withMaxBlocking(Duration.ofMillis(200))).migrate();
 * }</pre>
 *
 * @param enabled whether migrations are observed
 * @param maxBlocking the longest a read may be blocked before it is a hazard
 */
public record SafetyObservation(boolean enabled, Duration maxBlocking) {
    /** The default of {@code stateful.migrate.max-blocking}. */
    public static final Duration DEFAULT_MAX_BLOCKING = Duration.ofSeconds(1);

    /**
     * Create the value.
     *
     * @param enabled whether migrations are observed
     * @param maxBlocking the longest a read may be blocked, positive
     * @throws InvalidArgumentException when the limit is not positive
     */
    public SafetyObservation {
        Objects.requireNonNull(maxBlocking, "maxBlocking");
        if (maxBlocking.isNegative() || maxBlocking.isZero()) {
            throw new InvalidArgumentException("max-blocking '" + maxBlocking + "' is invalid; expected a positive "
                    + "duration. Fix: use for example 1s (the default) or 200ms.");
        }
    }

    /**
     * Return the default: observed, with a limit of one second.
     *
     * @return the default
     */
    public static SafetyObservation defaults() {
        return new SafetyObservation(true, DEFAULT_MAX_BLOCKING);
    }

    /**
     * Return "not observed": migrations run as the tool runs them alone, and results have no steps.
     *
     * @return observation turned off
     */
    public static SafetyObservation off() {
        return new SafetyObservation(false, DEFAULT_MAX_BLOCKING);
    }

    /**
     * Change the limit.
     *
     * @param limit the longest a read may be blocked before it is a hazard
     * @return a copy with the limit
     */
    public SafetyObservation withMaxBlocking(Duration limit) {
        return new SafetyObservation(enabled, limit);
    }
}
