package dev.stateful.error;

/**
 * Signals that database migrations could not be run as asked: an unknown or lower target
 * version, an applied migration whose script changed since (checksum mismatch), a failed
 * migration recorded by an earlier run, or a location that does not exist.
 *
 * <p>A migration script that fails while it runs raises the subclass
 * {@link MigrationFailedException}.
 */
public class MigrationException extends StatefulException {
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param message what went wrong and how to fix it
     */
    public MigrationException(String message) {
        super(message);
    }

    /**
     * Create the exception with its cause.
     *
     * @param message what went wrong and how to fix it
     * @param cause the underlying failure
     */
    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
