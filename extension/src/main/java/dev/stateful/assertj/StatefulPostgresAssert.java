package dev.stateful.assertj;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.StatefulException;
import dev.stateful.StatefulPostgres;
import dev.stateful.assertj.Catalog.HistoryRow;
import dev.stateful.assertj.Catalog.Relation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the database of a {@link StatefulPostgres}: whether its data survives an
 * operation, and what its schema and tables hold. Get one from
 * {@link StatefulAssertions#assertThat(StatefulPostgres)}.
 *
 * <pre>{@code
 * assertThat(db).survives(db::restart)
 *               .survives(() -> db.recreate("postgres:17.2"))
 *               .hasTable("orders")
 *               .hasColumn("orders", "email")
 *               .isAtSchemaVersion("3");
 * assertThat(db).losesDataOn(() -> { db.removeVolume(); db.start(); });
 * }</pre>
 *
 * <p>Every check opens its own connection. A failing query becomes an {@link AssertionError}
 * carrying the server's message; an action that throws fails the assertion with the exception
 * as cause.
 */
public class StatefulPostgresAssert extends AbstractAssert<StatefulPostgresAssert, StatefulPostgres> {

    /**
     * Create assertions on a handle; prefer {@link StatefulAssertions#assertThat(StatefulPostgres)}.
     *
     * @param actual the handle
     */
    public StatefulPostgresAssert(StatefulPostgres actual) {
        super(actual, StatefulPostgresAssert.class);
    }

    /**
     * Verify that an action leaves every user table as it was: the same tables with the same
     * rows (compared by {@link DatabaseFingerprint}), and the server accepts queries afterwards.
     * The failure lists each changed table, then both fingerprints.
     *
     * <pre>{@code
     * assertThat(db).survives(db::recreate);
     * }</pre>
     *
     * @param action the operation, such as {@code db::restart}; an {@link AssertionError} it
     *     throws passes through unchanged
     * @return this assertion
     * @throws AssertionError when a table changed, the action threw, or the tables could not be read
     */
    public StatefulPostgresAssert survives(ThrowingRunnable action) {
        Objects.requireNonNull(action, "action");
        isNotNull();
        String subject = Messages.subject(actual);
        String expectation = Messages.survives(subject);
        DatabaseFingerprint before = read(expectation, "before the action");
        run(action, expectation);
        DatabaseFingerprint after = read(expectation, "after the action");
        if (!before.equals(after)) {
            throw failureWithActualExpected(after, before, "%s", Messages.changed(subject, before, after));
        }
        return myself;
    }

    /**
     * Verify that an action loses the data: after it, every user table that had rows before is
     * empty or gone. Fails when no table had rows before, since nothing could be lost. Tables
     * that an init script seeds again after a new volume count as not lost.
     *
     * <pre>{@code
     * assertThat(db).losesDataOn(() -> {
     *     db.removeVolume();
     *     db.start();
     * });
     * }</pre>
     *
     * @param action the operation; it must leave the server running
     * @return this assertion
     * @throws AssertionError when a table still has rows (the message lists them), there was no
     *     data before, the action threw, or the tables could not be read
     */
    public StatefulPostgresAssert losesDataOn(ThrowingRunnable action) {
        Objects.requireNonNull(action, "action");
        isNotNull();
        String subject = Messages.subject(actual);
        String expectation = Messages.losesData(subject);
        DatabaseFingerprint before = read(expectation, "before the action");
        if (before.totalRows() == 0) {
            throw fail(Messages.nothingToLose(subject, before), null);
        }
        run(action, expectation);
        DatabaseFingerprint after = read(expectation, "after the action");
        if (!Messages.survivors(before, after).isEmpty()) {
            throw fail(Messages.notLost(subject, before, after), null);
        }
        return myself;
    }

    /**
     * Verify that a table exists. The name is read as SQL reads it: {@code orders} is looked up
     * through the {@code search_path} (usually {@code public}), {@code app.orders} in schema
     * {@code app}; unquoted names fold to lower case, so write {@code "\"Orders\""} for a
     * mixed-case name. Views and other relations are not tables.
     *
     * @param name {@code table} or {@code schema.table}
     * @return this assertion
     * @throws AssertionError when there is no such table; the message lists the user tables
     */
    public StatefulPostgresAssert hasTable(String name) {
        Objects.requireNonNull(name, "name");
        isNotNull();
        try (Connection c = actual.connection()) {
            requireTable(c, name);
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("table " + name, Messages.subject(actual), e), e);
        }
        return myself;
    }

    /**
     * Verify that a table has a column. The table is found as in {@link #hasTable(String)}; the
     * column by its exact name, else by its name as SQL reads it ({@code Email} matches
     * {@code email}).
     *
     * @param table {@code table} or {@code schema.table}
     * @param column the column name
     * @return this assertion
     * @throws AssertionError when the table or the column is missing; the message lists the columns
     */
    public StatefulPostgresAssert hasColumn(String table, String column) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        isNotNull();
        try (Connection c = actual.connection()) {
            Relation relation = requireTable(c, table);
            if (Catalog.column(c, relation, column).isEmpty()) {
                throw fail(Messages.noSuchColumn(relation.qualified(), column, Catalog.columns(c, relation)), null);
            }
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("column " + column + " of table " + table, Messages.subject(actual), e), e);
        }
        return myself;
    }

    /**
     * Verify the schema version Flyway migrated the database to, read from its
     * {@code flyway_schema_history} table (the one on the {@code search_path}, else the first by
     * schema name): the highest version whose migration succeeded and was not undone.
     * Versions compare as Flyway compares them: {@code 2} equals {@code 2.0} and {@code 2_0}.
     * Flyway itself is not needed.
     *
     * @param version such as {@code 3} or {@code 1.1}
     * @return this assertion
     * @throws AssertionError when the version differs (the message shows the history), no
     *     migration succeeded or there is no history table
     * @throws InvalidArgumentException when {@code version} is not a Flyway version
     */
    public StatefulPostgresAssert isAtSchemaVersion(String version) {
        if (FlywayVersions.parse(version).isEmpty()) {
            throw new InvalidArgumentException("schema version '" + version + "' is invalid; expected numbers "
                    + "separated by '.', as Flyway stores them. Fix: pass for example \"3\" or \"1.1\".");
        }
        isNotNull();
        String subject = Messages.subject(actual);
        String expectation = "Expected " + subject + " to be at schema version " + version;
        try (Connection c = actual.connection()) {
            Optional<Relation> table = Catalog.flywayHistory(c);
            if (table.isEmpty()) {
                throw fail(expectation + ", but it has no flyway_schema_history table: Flyway has not migrated "
                        + "it.\nUser tables:" + Messages.orNone(Catalog.userTables(c)), null);
            }
            List<HistoryRow> history = Catalog.history(c, table.get());
            Optional<String> current = FlywayVersions.current(history);
            String where = table.get().qualified();
            if (current.isEmpty()) {
                throw fail(expectation + ", but no versioned migration was applied successfully. " + where
                        + (history.isEmpty() ? " is empty." : ":" + Messages.history(history)), null);
            }
            if (!FlywayVersions.same(current.get(), version)) {
                throw failureWithActualExpected(current.get(), version, "%s", expectation + ", but it is at version "
                        + current.get() + ".\nHistory (" + where + "):" + Messages.history(history));
            }
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("the schema version", subject, e), e);
        }
        return myself;
    }

    /**
     * Start assertions on one table's rows. Fails at once when the table does not exist.
     *
     * <pre>{@code
     * assertThat(db).table("orders").hasRowCount(3);
     * assertThat(db).table("app.customers").column("email").hasNoNulls();
     * }</pre>
     *
     * @param name {@code table} or {@code schema.table}, read as in {@link #hasTable(String)}
     * @return assertions on the table
     * @throws AssertionError when there is no such table
     */
    public TableAssert table(String name) {
        Objects.requireNonNull(name, "name");
        isNotNull();
        try (Connection c = actual.connection()) {
            return new TableAssert(actual, requireTable(c, name));
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("table " + name, Messages.subject(actual), e), e);
        }
    }

    private Relation requireTable(Connection c, String name) throws SQLException {
        Optional<Relation> found = Catalog.relation(c, name);
        String expectation = "Expected " + Messages.subject(actual) + " to have table " + name;
        if (found.isEmpty()) {
            throw fail(expectation + ", but it has no such table (search_path: " + Catalog.searchPath(c)
                    + ").\nUser tables:" + Messages.orNone(Catalog.userTables(c)), null);
        }
        if (!found.get().isTable()) {
            throw fail(expectation + ", but " + found.get().qualified() + " is a " + found.get().kindName()
                    + ", not a table.", null);
        }
        return found.get();
    }

    private DatabaseFingerprint read(String expectation, String when) {
        try {
            return DatabaseFingerprint.of(actual);
        } catch (StatefulException | IllegalStateException e) {
            throw fail(Messages.unreadable(expectation, when, e), e);
        }
    }

    private void run(ThrowingRunnable action, String expectation) {
        try {
            action.run();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw fail(Messages.actionThrew(expectation, e), e);
        }
    }

    private AssertionError fail(String message, Throwable cause) {
        return Messages.withCause(failure("%s", message), cause);
    }
}
