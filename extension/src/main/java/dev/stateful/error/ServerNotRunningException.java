package dev.stateful.error;

/**
 * Signals that a call which talks to the server (a connection, a query of the handle, a
 * fingerprint, a snapshot, restore or reset) failed because the Postgres container is not
 * running: the test stopped it, the Docker engine restarted, or something outside the test
 * stopped or removed it. The message names the volume, the container's state and exit code, when
 * it stopped, its last log lines and what to do; the cause is the refused or broken connection.
 */
public class ServerNotRunningException extends StatefulException {
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param message what went wrong and how to fix it
     * @param cause the refused or broken connection
     */
    public ServerNotRunningException(String message, Throwable cause) {
        super(message, cause);
    }
}
