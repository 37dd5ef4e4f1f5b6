package dev.stateful.error;

/**
 * Root of every error Stateful raises.
 *
 * <p>Unchecked, so that a test method does not need a {@code throws} clause. Subclasses
 * say what went wrong; the message names the thing, the value, what was expected and how
 * to fix it.
 */
public class StatefulException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with a message.
     *
     * @param message what went wrong and how to fix it
     */
    public StatefulException(String message) {
        super(message);
    }

    /**
     * Create an exception with a message and a cause.
     *
     * @param message what went wrong and how to fix it
     * @param cause the underlying failure
     */
    public StatefulException(String message, Throwable cause) {
        super(message, cause);
    }
}
