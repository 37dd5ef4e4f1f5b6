package dev.stateful.error;

/**
 * Signals that a Postgres container did not become ready: it exited, or did not accept queries before the deadline. The message carries the container's log tail.
 */
public class StartupException extends StatefulException {
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param message what went wrong and how to fix it
     */
    public StartupException(String message) {
        super(message);
    }

    /**
     * Create the exception with its cause.
     *
     * @param message what went wrong and how to fix it
     * @param cause the underlying failure
     */
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
