package dev.stateful.internal.pg;

import dev.stateful.error.StartupException;
import dev.stateful.internal.engine.ContainerStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wait until a Postgres server in a container really accepts queries.
 *
 * <p>Testcontainers' log-line wait expects the readiness line twice, which an initialised
 * volume prints once; this check does not read logs at all. It polls: the container must be
 * running (an exited container fails at once, with its log tail), the published port must
 * accept TCP, and a real {@code SELECT 1} must succeed. Errors that retrying cannot fix
 * (wrong password, missing role or database) end the wait at once with
 * {@link RejectedLoginException}.
 */
public final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    /** SQL states that mean the server is up but refuses this login: retrying will not help. */
    static final Set<String> FINAL_STATES = Set.of("28P01", "28000", "3D000");
    private static final int LOG_LINES = 40;

    private Readiness() {
    }

    /** What the wait needs to know about its server. */
    public interface Target {
        /**
         * Describe the server for messages, e.g. {@code "container 1a2b3c on volume 'orders'"}.
         *
         * @return a short description
         */
        String describe();

        /**
         * Return the container's state.
         *
         * @return its status
         */
        ContainerStatus status();

        /**
         * Return the container's log tail.
         *
         * @param lines how many lines at most
         * @return the tail
         */
        String logTail(int lines);

        /**
         * Return the host and published port, read anew on each call.
         *
         * @return where to connect
         */
        InetSocketAddress address();

        /**
         * Open a JDBC connection.
         *
         * @return a connection
         * @throws SQLException when the server refuses it
         */
        Connection connect() throws SQLException;
    }

    /** Thrown when the server answers but refuses the login for a reason retrying cannot fix. */
    public static final class RejectedLoginException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String sqlState;

        RejectedLoginException(SQLException cause) {
            super(cause.getMessage(), cause);
            this.sqlState = cause.getSQLState();
        }

        /**
         * Return the server's SQL state, such as {@code 28P01} for a wrong password.
         *
         * @return the SQL state
         */
        public String sqlState() {
            return sqlState;
        }
    }

    /**
     * Block until the server answers {@code SELECT 1}, the container exits, or the timeout passes.
     *
     * @param target the server
     * @param timeout the deadline
     * @throws RejectedLoginException when the server is up but refuses the login
     * @throws StartupException when the container exits or the deadline passes
     */
    public static void await(Target target, Duration timeout) throws RejectedLoginException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String lastProblem = "no attempt yet";
        long pause = 50;
        while (true) {
            ContainerStatus status = target.status();
            if (!status.running()) {
                throw new StartupException(target.describe() + " exited with code " + status.exitCode()
                        + (status.oomKilled() ? " (killed for lack of memory)" : "")
                        + " before accepting connections. Last log lines:\n" + target.logTail(LOG_LINES));
            }
            try {
                lastProblem = probe(target);
                if (lastProblem == null) {
                    LOG.debug("{} ready after {} ms", target.describe(), (System.nanoTime() - start) / 1_000_000);
                    return;
                }
            } catch (SQLException e) {
                if (FINAL_STATES.contains(e.getSQLState())) {
                    throw new RejectedLoginException(e);
                }
                lastProblem = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new StartupException(target.describe() + " did not accept queries within " + timeout.toSeconds()
                        + " s (last attempt: " + lastProblem + "). Fix: raise the startup timeout "
                        + "(stateful.startup-timeout / STATEFUL_STARTUP_TIMEOUT, seconds) if the machine is slow. "
                        + "Last log lines:\n" + target.logTail(LOG_LINES));
            }
            sleep(pause);
            pause = Math.min(pause * 2, 100);
        }
    }

    /** Return {@code null} when ready, otherwise what is not ready yet. */
    private static String probe(Target target) throws SQLException {
        InetSocketAddress address = target.address();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), 1000);
        } catch (IOException e) {
            return "TCP " + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage();
        }
        try (Connection c = target.connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            s.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            if (FINAL_STATES.contains(e.getSQLState())) {
                throw e;
            }
            return e.getMessage();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for Postgres", e);
        }
    }
}
