package dev.stateful.bench;

import dev.stateful.StatefulPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What every benchmark shares: the time of one action, and one SQL statement in one line. */
final class Bench {
    /** Something to time. */
    interface Action {
        void run() throws Exception;
    }

    private Bench() {
    }

    /** Run the action and return how long it took, in nanoseconds. */
    static long time(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    /** Run one statement on the handle's database; return its first value when it gives rows, else null. */
    static String sql(StatefulPostgres db, String statement) throws SQLException {
        try (Connection c = db.connection()) {
            return execute(c, statement);
        }
    }

    /** Run one statement on another database of the handle's server (for example {@code postgres}). */
    static String sqlIn(StatefulPostgres db, String database, String statement) throws SQLException {
        String url = db.jdbcUrl();
        String other = url.substring(0, url.lastIndexOf('/') + 1) + database;
        try (Connection c = DriverManager.getConnection(other, db.username(), db.password())) {
            return execute(c, statement);
        }
    }

    private static String execute(Connection c, String statement) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (s.execute(statement)) {
                try (ResultSet rs = s.getResultSet()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
            return null;
        }
    }
}
