package dev.stateful.migrate;

import dev.stateful.error.MigrationFailedException;
import java.time.Duration;
import java.util.List;

/**
 * Signals that a migration failed, with what the run did until then: the
 * {@link MigrationFailedException} that {@link Migrations} raises for a failing Flyway migration,
 * Liquibase changeset or migrator image.
 *
 * <pre>{@code
 * try {
 *     db.migrate();
 * } catch (ObservedMigrationFailedException e) {
 *     e.steps();              // every migration applied before the failure, then the failed one
 *     e.result().hazards();   // what the live application would have felt, failed step included
 * }
 * }</pre>
 *
 * <p>It lives beside {@link MigrationStep} rather than in {@code dev.stateful.error}, which the
 * migration code depends on and which therefore cannot name migration types; catch
 * {@link MigrationFailedException} for the script, the SQL state and whether the schema was
 * left half applied, this type for the observation.
 */
public final class ObservedMigrationFailedException extends MigrationFailedException {
    private static final long serialVersionUID = 1L;

    /** Not serialised: an exception sent across a wire keeps its message, which names the failed step. */
    private final transient MigrationResult result;

    ObservedMigrationFailedException(String message, String script, String version, String sqlState,
            String postgresMessage, boolean halfApplied, Throwable cause, MigrationResult result) {
        super(message, script, version, sqlState, postgresMessage, halfApplied, cause);
        this.result = result;
    }

    /**
     * Return what the run did until the migration failed.
     *
     * @return the schema versions before and after the failure, the migrations applied before
     *     it, how long the run took and its {@linkplain MigrationResult#steps() steps}; empty
     *     steps when the run was not observed (a migrator image, {@link SafetyObservation#off()},
     *     or an exception read back from its serialised form)
     */
    public MigrationResult result() {
        return result == null ? new MigrationResult(null, null, List.of(), Duration.ZERO) : result;
    }

    /**
     * Return the observed steps of the run: every migration applied before the failure, in order,
     * then the failed one (its {@link MigrationStep#failed()} is {@code true}).
     *
     * @return the steps; empty when the run was not observed
     */
    public List<MigrationStep> steps() {
        return result().steps();
    }
}
