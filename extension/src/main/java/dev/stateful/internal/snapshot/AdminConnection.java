package dev.stateful.internal.snapshot;

import dev.stateful.internal.Server;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handle's one connection to the {@code postgres} database, lent to one caller at a time,
 * opened on first use and again after it broke (a restart, say): SCRAM login costs more than a
 * pooled restore.
 */
final class AdminConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminConnection.class);
    private final Server db;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection;

    AdminConnection(Server db) {
        this.db = db;
    }

    /** Lend the connection until the session is closed. */
    Session lend() throws SQLException {
        lock.lock();
        try {
            if (connection == null || !connection.isValid(2)) {
                closeConnection();
                connection = db.connect("postgres");
            }
            return new Session(connection);
        } catch (SQLException | RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the admin connection failed: {}", e.getMessage());
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeConnection();
        } finally {
            lock.unlock();
        }
    }

    /** The admin connection, held under the lock until closed; autocommit is restored on close. */
    final class Session implements AutoCloseable {
        private final Connection lent;

        private Session(Connection lent) {
            this.lent = lent;
        }

        Connection connection() {
            return lent;
        }

        @Override
        public void close() {
            try {
                if (!lent.getAutoCommit()) {
                    lent.setAutoCommit(true);
                }
            } catch (SQLException e) {
                closeConnection();
            } finally {
                lock.unlock();
            }
        }
    }
}
