package dev.stateful.error;

/**
 * Signals that no Docker engine answered: Stateful needs one to run Postgres containers.
 */
public class EngineUnavailableException extends StatefulException {
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param message what went wrong and how to fix it
     */
    public EngineUnavailableException(String message) {
        super(message);
    }

    /**
     * Create the exception with its cause.
     *
     * @param message what went wrong and how to fix it
     * @param cause the underlying failure
     */
    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
