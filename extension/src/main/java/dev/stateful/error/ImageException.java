package dev.stateful.error;

/**
 * Signals that a container image is missing, cannot be pulled, or is not a Postgres image.
 */
public class ImageException extends StatefulException {
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param message what went wrong and how to fix it
     */
    public ImageException(String message) {
        super(message);
    }

    /**
     * Create the exception with its cause.
     *
     * @param message what went wrong and how to fix it
     * @param cause the underlying failure
     */
    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
