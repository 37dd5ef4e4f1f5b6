package dev.stateful.assertj;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.StatefulPostgres;
import dev.stateful.assertj.Catalog.Relation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the rows of one table; get one from {@link StatefulPostgresAssert#table(String)}.
 * The actual value is the table's qualified name, {@code schema.table}.
 *
 * <pre>{@code
 * assertThat(db).table("orders").hasRowCount(3);
 * assertThat(db).table("audit.log").isEmpty();
 * }</pre>
 *
 * <p>Rows are counted as {@code SELECT count(*) FROM table} counts them, so a table others
 * inherit from counts their rows too.
 */
public final class TableAssert extends AbstractAssert<TableAssert, String> {
    private final StatefulPostgres db;
    private final Relation table;

    TableAssert(StatefulPostgres db, Relation table) {
        super(table.qualified(), TableAssert.class);
        this.db = db;
        this.table = table;
    }

    /**
     * Verify the number of rows. The failure shows both counts and the first rows.
     *
     * @param expected the row count, zero or more
     * @return this assertion
     * @throws AssertionError when the count differs
     */
    public TableAssert hasRowCount(long expected) {
        if (expected < 0) {
            throw new InvalidArgumentException("row count " + expected + " is invalid; expected zero or more. "
                    + "Fix: pass the number of rows the table must have.");
        }
        try (Connection c = db.connection()) {
            long rows = Catalog.count(c, table, null);
            if (rows != expected) {
                String message = "Expected table " + actual + " to have " + Messages.rows(expected) + ", but it has "
                        + rows + (rows == 0 ? "." : ":" + Messages.sample(Catalog.sampleRows(c, table, Messages.SAMPLE), rows));
                throw failureWithActualExpected(rows, expected, "%s", message);
            }
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("the row count of table " + actual, Messages.subject(db), e), e);
        }
        return myself;
    }

    /**
     * Verify that the table has no rows. The failure shows how many it has and the first ones.
     *
     * @return this assertion
     * @throws AssertionError when the table has rows
     */
    public TableAssert isEmpty() {
        try (Connection c = db.connection()) {
            long rows = Catalog.count(c, table, null);
            if (rows != 0) {
                throw fail("Expected table " + actual + " to be empty, but it has " + Messages.rows(rows) + ":"
                        + Messages.sample(Catalog.sampleRows(c, table, Messages.SAMPLE), rows), null);
            }
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("the rows of table " + actual, Messages.subject(db), e), e);
        }
        return myself;
    }

    /**
     * Start assertions on one column. Fails at once when the table has no such column.
     *
     * @param name the column's exact name, or its name as SQL reads it ({@code Email} is {@code email})
     * @return assertions on the column
     * @throws AssertionError when there is no such column; the message lists the columns
     */
    public ColumnAssert column(String name) {
        Objects.requireNonNull(name, "name");
        try (Connection c = db.connection()) {
            Optional<String> column = Catalog.column(c, table, name);
            if (column.isEmpty()) {
                List<String> columns = Catalog.columns(c, table);
                throw fail(Messages.noSuchColumn(actual, name, columns), null);
            }
            return new ColumnAssert(db, table, column.get());
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("column " + name + " of table " + actual, Messages.subject(db), e), e);
        }
    }

    private AssertionError fail(String message, Throwable cause) {
        return Messages.withCause(failure("%s", message), cause);
    }
}
