package dev.stateful.error;

/**
 * Signals a bad argument given to Stateful (for example an invalid volume name), raised before any side effect.
 */
public class InvalidArgumentException extends StatefulException {
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param message what went wrong and how to fix it
     */
    public InvalidArgumentException(String message) {
        super(message);
    }

    /**
     * Create the exception with its cause.
     *
     * @param message what went wrong and how to fix it
     * @param cause the underlying failure
     */
    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
