package dev.stateful.error;

/**
 * Signals that a command run in a container ({@code pg_restore}, {@code psql}, {@code pg_dump},
 * a copy) did not finish within its deadline ({@code stateful.command-timeout}) and was stopped.
 */
public class CommandTimeoutException extends EngineException {
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param message the command, the deadline, how long it ran, the fix and the log tail
     */
    public CommandTimeoutException(String message) {
        super(message);
    }
}
