package dev.stateful.internal.snapshot;

import dev.stateful.internal.Server;
import dev.stateful.internal.pg.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SQL of template databases: create one from another, test, drop, end the sessions of one. */
final class TemplateDatabases {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateDatabases.class);

    private TemplateDatabases() {
    }

    /** {@code CREATE DATABASE target TEMPLATE template}, with {@code STRATEGY FILE_COPY} on Postgres 15 and later. */
    static void create(Connection admin, Statement s, String target, String template) throws SQLException {
        s.execute("CREATE DATABASE " + SqlIdentifiers.quote(target) + " TEMPLATE " + SqlIdentifiers.quote(template)
                + strategy(admin));
    }

    /** Create a database from a template on a connection of its own: for the background thread. */
    static void create(Server db, String target, String template) throws SQLException {
        try (Connection admin = db.connect("postgres"); Statement s = admin.createStatement()) {
            create(admin, s, target, template);
        }
    }

    /** Drop a snapshot database: a template must stop being one before it can be dropped. */
    static void dropIfExists(Connection admin, Statement s, String snapshot) throws SQLException {
        if (exists(admin, snapshot)) {
            s.execute("ALTER DATABASE " + SqlIdentifiers.quote(snapshot) + " IS_TEMPLATE false");
            s.execute("DROP DATABASE " + SqlIdentifiers.quote(snapshot));
        }
    }

    /** Drop a database on a connection of its own, logging a failure. */
    static void dropQuietly(Server db, String database) {
        try (Connection admin = db.connect("postgres"); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(database));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("could not drop {}: {}", database, e.getMessage());
        }
    }

    static boolean exists(Connection admin, String database) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void terminateSessions(Connection admin, String database) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, database);
            ps.executeQuery().close();
        }
    }

    private static String strategy(Connection admin) throws SQLException {
        return admin.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY FILE_COPY" : "";
    }
}
