package dev.stateful.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explain a failed Flyway migration: Postgres' own message, the failing statement and line,
 * whether the schema was left half applied (and which indexes are invalid), and what the
 * observation saw until then.
 */
final class FlywayFailures {
    private static final Logger LOG = LoggerFactory.getLogger(FlywayFailures.class);

    private FlywayFailures() {
    }

    /**
     * Explain the failure of a migration.
     *
     * @param run what the run did until then (its {@code toVersion} is read here)
     */
    static ObservedMigrationFailedException explain(DataSource dataSource, String database, MigrationSettings settings,
            FlywayHistory history, Migration migration, boolean inTransaction, FlywayException e,
            MigrationStep observed, MigrationResult run) {
        SQLException sql = find(e, SQLException.class);
        FlywaySqlScriptException script = find(e, FlywaySqlScriptException.class);
        String sqlState = sql == null ? null : sql.getSQLState();
        String message = postgresMessage(sql, e);
        int line = script == null ? -1 : script.getLineNumber();
        String statement = script == null ? null : script.getStatement();
        String current = null;
        boolean recordedFailed = false;
        List<String> invalidIndexes = List.of();
        try (Connection c = dataSource.getConnection()) {
            current = history.currentVersion(c).orElse(null);
            recordedFailed = history.recordsFailure(c);
            invalidIndexes = invalidIndexes(c);
        } catch (SQLException | RuntimeException ignored) {
            LOG.debug("cannot inspect database {} after the failed migration", database, ignored);
        }
        boolean halfApplied = !inTransaction || recordedFailed;
        String text = MigrationMessages.failed(database, migration, sqlState, message, line, statement, halfApplied,
                current, halfApplied ? invalidIndexes : List.of(), settings.table());
        if (observed != null) {
            text += "\nObserved until it failed: " + observed;
            for (Hazard h : observed.hazards()) {
                text += "\n  - " + h;
            }
        }
        return new ObservedMigrationFailedException(text, migration.script(), migration.version(), sqlState, message,
                halfApplied, e, new MigrationResult(run.fromVersion(), current, run.applied(), run.duration(),
                run.steps()));
    }

    private static String postgresMessage(SQLException sql, FlywayException e) {
        if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage server = p.getServerErrorMessage();
            String detail = server.getDetail() == null ? "" : " (" + server.getDetail() + ")";
            return server.getMessage() + detail;
        }
        if (sql != null && sql.getMessage() != null) {
            return sql.getMessage().replaceFirst("^ERROR:\\s*", "");
        }
        return String.valueOf(e.getMessage());
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
    private static List<String> invalidIndexes(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT format('%I.%I', n.nspname, ic.relname) FROM pg_index i "
                        + "JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace "
                        + "WHERE NOT i.indisvalid ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
