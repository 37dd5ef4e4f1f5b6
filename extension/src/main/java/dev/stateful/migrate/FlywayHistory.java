package dev.stateful.migrate;

import dev.stateful.internal.pg.SqlIdentifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;

/** Read Flyway's history table: the version it records and whether it records a failure. */
final class FlywayHistory {
    private final MigrationSettings settings;

    FlywayHistory(MigrationSettings settings) {
        this.settings = settings;
    }

    Optional<String> currentVersion(Connection c) throws SQLException {
        Optional<String> table = historyTable(c);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        MigrationVersion best = null;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM " + table.get()
                        + " WHERE success AND version IS NOT NULL AND type <> 'DELETE'")) {
            while (rs.next()) {
                MigrationVersion v = MigrationVersion.fromVersion(rs.getString(1));
                if (best == null || v.compareTo(best) > 0) {
                    best = v;
                }
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.getVersion());
    }
    boolean recordsFailure(Connection c) throws SQLException {
        Optional<String> table = historyTable(c);
        if (table.isEmpty()) {
            return false;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.get() + " WHERE NOT success")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    /** The quoted, schema-qualified history table, or empty when it does not exist. */
    private Optional<String> historyTable(Connection c) throws SQLException {
        String schema;
        if (settings.schemas().isEmpty()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                schema = rs.next() ? rs.getString(1) : null;
            }
            if (schema == null) {
                return Optional.empty();
            }
        } else {
            schema = settings.schemas().get(0);
        }
        String qualified = SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(settings.table());
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass(" + SqlIdentifiers.literal(qualified) + ")")) {
            return rs.next() && rs.getString(1) != null ? Optional.of(qualified) : Optional.empty();
        }
    }
}
