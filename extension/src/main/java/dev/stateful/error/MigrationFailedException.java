package dev.stateful.error;

import java.util.Optional;

/**
 * Signals that a migration script failed while it ran.
 *
 * <p>The message names the script, its version, the SQL state and Postgres' own message,
 * and says whether the schema was left half applied: a migration that ran in a transaction
 * (the usual case on Postgres) was rolled back whole; one that Flyway had to run outside a
 * transaction (it holds statements such as {@code CREATE INDEX CONCURRENTLY}) keeps what its
 * earlier statements did.
 */
public class MigrationFailedException extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final String script;
    private final String version;
    private final String sqlState;
    private final String postgresMessage;
    private final boolean halfApplied;

    /**
     * Create the exception.
     *
     * @param message the full message
     * @param script the script's file name, such as {@code V3__backfill.sql}
     * @param version the migration's version, or {@code null} for a repeatable migration
     * @param sqlState the SQL state Postgres reported, or {@code null} when none is known
     * @param postgresMessage Postgres' message, or Flyway's when the failure was not Postgres'
     * @param halfApplied whether statements of the failed migration stay applied
     * @param cause the underlying failure
     */
    public MigrationFailedException(String message, String script, String version, String sqlState,
            String postgresMessage, boolean halfApplied, Throwable cause) {
        super(message, cause);
        this.script = script;
        this.version = version;
        this.sqlState = sqlState;
        this.postgresMessage = postgresMessage;
        this.halfApplied = halfApplied;
    }

    /**
     * Return the failed script's file name.
     *
     * @return such as {@code V3__backfill.sql}
     */
    public String script() {
        return script;
    }

    /**
     * Return the failed migration's version.
     *
     * @return the version, or empty for a repeatable migration
     */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /**
     * Return the SQL state Postgres reported.
     *
     * @return such as {@code 42P01}, or empty when the failure was not an SQL error
     */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /**
     * Return Postgres' error message.
     *
     * @return the message, without the {@code ERROR:} prefix
     */
    public String postgresMessage() {
        return postgresMessage;
    }

    /**
     * Tell whether the failed migration left part of its changes behind.
     *
     * @return {@code true} when it ran outside a transaction and statements before the failing
     *     one stay applied; {@code false} when it was rolled back whole
     */
    public boolean halfApplied() {
        return halfApplied;
    }
}
