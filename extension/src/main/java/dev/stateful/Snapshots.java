package dev.stateful;

import dev.stateful.pg.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Take and restore database-level snapshots with Postgres template databases.
 *
 * <p>A snapshot named {@code base} of database {@code test} is a database
 * {@code test__snap_base} created with {@code CREATE DATABASE … TEMPLATE test} (with
 * {@code STRATEGY FILE_COPY} on Postgres 15 and later) and marked as a template that accepts no
 * connections. Restoring drops the database and creates it again from the snapshot. Both need
 * the database to themselves: other sessions connected to it are terminated first.
 */
final class Snapshots {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,30}");
    private static final String MARK = "__snap_";

    private final StatefulPostgres db;

    Snapshots(StatefulPostgres db) {
        this.db = db;
    }

    static String validate(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidArgumentException("snapshot name '" + name + "' is invalid; expected 1 to 30 characters "
                    + "of lower-case letters, digits and '_'. Fix: use a name such as 'baseline'.");
        }
        return name;
    }

    String databaseOf(String name) {
        return db.database() + MARK + validate(name);
    }

    void take(String name) {
        String snapshot = databaseOf(name);
        long started = System.nanoTime();
        try (Connection admin = db.connect("postgres"); Statement s = admin.createStatement()) {
            if (exists(admin, snapshot)) {
                s.execute("ALTER DATABASE " + SqlIdentifiers.quote(snapshot) + " IS_TEMPLATE false");
                s.execute("DROP DATABASE " + SqlIdentifiers.quote(snapshot));
            }
            terminateSessions(admin, db.database());
            s.execute("CREATE DATABASE " + SqlIdentifiers.quote(snapshot) + " TEMPLATE "
                    + SqlIdentifiers.quote(db.database()) + strategy(admin));
            s.execute("ALTER DATABASE " + SqlIdentifiers.quote(snapshot) + " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
        } catch (SQLException e) {
            throw new StatefulException("cannot take snapshot '" + name + "' of database '" + db.database() + "': "
                    + e.getMessage() + ". Fix: make sure no other client holds the database open.", e);
        }
        LOG.info("Took snapshot '{}' of {} in {} ms", name, db.database(), (System.nanoTime() - started) / 1_000_000);
    }

    void restore(String name) {
        String snapshot = databaseOf(name);
        long started = System.nanoTime();
        try (Connection admin = db.connect("postgres"); Statement s = admin.createStatement()) {
            if (!exists(admin, snapshot)) {
                throw new InvalidArgumentException("snapshot '" + name + "' does not exist for database '" + db.database()
                        + "'; expected one of " + list(admin) + ". Fix: call snapshot(\"" + name + "\") first.");
            }
            terminateSessions(admin, db.database());
            s.execute("DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(db.database()));
            s.execute("CREATE DATABASE " + SqlIdentifiers.quote(db.database()) + " TEMPLATE "
                    + SqlIdentifiers.quote(snapshot) + strategy(admin));
        } catch (SQLException e) {
            throw new StatefulException("cannot restore snapshot '" + name + "' into database '" + db.database()
                    + "': " + e.getMessage(), e);
        }
        LOG.debug("Restored snapshot '{}' of {} in {} ms", name, db.database(), (System.nanoTime() - started) / 1_000_000);
    }

    void drop(String name) {
        String snapshot = databaseOf(name);
        try (Connection admin = db.connect("postgres"); Statement s = admin.createStatement()) {
            if (exists(admin, snapshot)) {
                s.execute("ALTER DATABASE " + SqlIdentifiers.quote(snapshot) + " IS_TEMPLATE false");
                s.execute("DROP DATABASE " + SqlIdentifiers.quote(snapshot));
            }
        } catch (SQLException e) {
            throw new StatefulException("cannot drop snapshot '" + name + "': " + e.getMessage(), e);
        }
    }

    List<String> names() {
        try (Connection admin = db.connect("postgres")) {
            return list(admin);
        } catch (SQLException e) {
            throw new StatefulException("cannot list snapshots: " + e.getMessage(), e);
        }
    }

    private List<String> list(Connection admin) throws SQLException {
        List<String> names = new ArrayList<>();
        String prefix = db.database() + MARK;
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT datname FROM pg_database WHERE starts_with(datname, ?) ORDER BY datname")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1).substring(prefix.length()));
                }
            }
        }
        return names;
    }

    private static boolean exists(Connection admin, String database) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void terminateSessions(Connection admin, String database) throws SQLException {
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
