package dev.stateful.migrate;

import java.sql.Connection;
import java.util.List;

/**
 * What a migration engine tells the observation of a run, whatever the engine (Flyway through
 * {@link FlywayObserverCallback}; another engine calls the same methods around each migration
 * or changeset). Implementations never throw: a failing observation must not fail a migration.
 */
interface StepObserver {
    /**
     * A migration starts: before its first statement, on the connection it runs on (in its
     * transaction, for a transactional one).
     *
     * @param migration the migration
     * @param migrationConnection the connection its statements run on
     */
    void begin(Migration migration, Connection migrationConnection);

    /**
     * A statement of the running migration ran.
     *
     * @param sql its text
     * @param messages the server's messages for it (notices and {@code DEBUG1} lines)
     */
    void statement(String sql, List<String> messages);

    /**
     * The running migration's last statement ran, or it failed; its transaction may still be open.
     *
     * @param failed whether it failed
     */
    void afterMigration(boolean failed);

    /**
     * The run is over: every transaction committed or rolled back.
     *
     * @return one step per migration begun, in order
     */
    List<MigrationStep> finish();
}
