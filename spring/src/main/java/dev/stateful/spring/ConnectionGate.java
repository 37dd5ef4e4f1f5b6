package dev.stateful.spring;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Hold back new connections of a pool while Stateful ends the database's sessions (a reset,
 * snapshot or dump restore): a connection opened between the termination and the drop or copy
 * of the database would make that fail with "database is being accessed by other users".
 * Closing waits for connections being opened to finish. Every wait has a deadline.
 */
final class ConnectionGate {
    private static final long DEADLINE_NANOS = Duration.ofMinutes(2).toNanos();

    private boolean closed;
    private int opening;

    /** Wait while closed, then count one connection being opened. */
    synchronized void enter(String what) throws SQLException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SQLException(what + ": waited 2 minutes for Stateful to finish ending the database's "
                        + "sessions (a reset, snapshot or dump restore); expected it to take seconds. Fix: look at the "
                        + "test's log for the operation that hangs.", "08001");
            }
            waitNanos(left);
        }
        opening++;
    }

    /** The connection counted by {@link #enter} is open (or failed). */
    synchronized void exit() {
        opening--;
        notifyAll();
    }

    /** Open no new connection from now on, and wait for those being opened (at most 2 minutes). */
    synchronized void close() {
        closed = true;
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (opening > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            waitNanos(left);
        }
    }

    /** Let connections be opened again. */
    synchronized void open() {
        closed = false;
        notifyAll();
    }

    private void waitNanos(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the connection gate", e);
        }
    }
}
