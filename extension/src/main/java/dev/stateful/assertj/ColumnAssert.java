package dev.stateful.assertj;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.StatefulPostgres;
import dev.stateful.assertj.Catalog.Relation;
import dev.stateful.assertj.Catalog.ValueCount;
import dev.stateful.internal.pg.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one column of a table; get one from {@link TableAssert#column(String)}. The
 * actual value is {@code schema.table.column}.
 *
 * <pre>{@code
 * assertThat(db).table("orders").column("email").hasNoNulls();
 * assertThat(db).table("orders").column("status").hasOnlyValues("new", "paid");
 * }</pre>
 *
 * <p>Values are compared in their Postgres text form ({@code column::text}): {@code true} and
 * {@code false} for booleans, {@code 9.50} for a {@code numeric(5,2)}; {@code null} stands for NULL.
 */
public final class ColumnAssert extends AbstractAssert<ColumnAssert, String> {
    private final StatefulPostgres db;
    private final Relation table;
    private final String column;

    ColumnAssert(StatefulPostgres db, Relation table, String column) {
        super(table.qualified() + "." + column, ColumnAssert.class);
        this.db = db;
        this.table = table;
        this.column = column;
    }

    /**
     * Verify that no row has NULL in this column. The failure says in how many rows it is NULL
     * and names a few by primary key ({@code id=3}), or by {@code ctid} when there is none.
     *
     * @return this assertion
     * @throws AssertionError when a row has NULL
     */
    public ColumnAssert hasNoNulls() {
        try (Connection c = db.connection()) {
            long nulls = Catalog.count(c, table, "t." + SqlIdentifiers.quote(column) + " IS NULL");
            if (nulls > 0) {
                long rows = Catalog.count(c, table, null);
                List<String> keys = Catalog.nullRowKeys(c, table, column, Messages.SAMPLE);
                throw fail("Expected column " + actual + " to have no NULLs, but it is NULL in " + nulls + " of "
                        + Messages.rows(rows) + ", for example in the rows with:" + Messages.sample(keys, nulls), null);
            }
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("NULLs in column " + actual, Messages.subject(db), e), e);
        }
        return myself;
    }

    /**
     * Verify that every row holds one of the given values (text form); pass {@code null} among
     * them to allow NULL. The failure lists the other values with their row counts.
     *
     * @param values the allowed values, at least one
     * @return this assertion
     * @throws AssertionError when a row holds another value
     */
    public ColumnAssert hasOnlyValues(String... values) {
        List<String> allowed = requireValues("hasOnlyValues", values);
        boolean nullAllowed = allowed.contains(null);
        List<String> nonNull = allowed.stream().filter(Objects::nonNull).toList();
        try (Connection c = db.connection()) {
            List<ValueCount> others = Catalog.valuesOutside(c, table, column, nonNull, nullAllowed, Messages.SAMPLE + 1);
            if (!others.isEmpty()) {
                List<String> lines = new ArrayList<>();
                others.forEach(v -> lines.add(Messages.quoted(v.value()) + " in " + Messages.rows(v.rows())));
                throw fail("Expected column " + actual + " to have only the values " + Messages.quotedList(allowed)
                        + ", but it also has:" + Messages.sampleOf(lines), null);
            }
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("the values of column " + actual, Messages.subject(db), e), e);
        }
        return myself;
    }

    /**
     * Verify that each given value (text form) is in at least one row; {@code null} asks for a
     * row with NULL. The failure lists the missing values and some the column has.
     *
     * @param values the values, at least one
     * @return this assertion
     * @throws AssertionError when no row holds one of them
     */
    public ColumnAssert containsValues(String... values) {
        List<String> wanted = requireValues("containsValues", values);
        List<String> nonNull = wanted.stream().filter(Objects::nonNull).toList();
        try (Connection c = db.connection()) {
            Set<String> missing = new LinkedHashSet<>(wanted);
            missing.removeAll(Catalog.valuesPresent(c, table, column, nonNull));
            if (missing.contains(null) && Catalog.count(c, table, "t." + SqlIdentifiers.quote(column) + " IS NULL") > 0) {
                missing.remove(null);
            }
            if (!missing.isEmpty()) {
                List<String> absent = missing.stream().map(Messages::quoted).toList();
                List<String> some = Catalog.someValues(c, table, column, Messages.SAMPLE + 1).stream()
                        .map(Messages::quoted).toList();
                throw fail("Expected column " + actual + " to contain the values " + Messages.quotedList(wanted)
                        + ", but no row has:" + Messages.indent(absent) + "\nValues it has:"
                        + (some.isEmpty() ? " none, the table is empty" : Messages.sampleOf(some)), null);
            }
        } catch (SQLException e) {
            throw fail(Messages.sqlFailed("the values of column " + actual, Messages.subject(db), e), e);
        }
        return myself;
    }

    private static List<String> requireValues(String method, String... values) {
        if (values == null || values.length == 0) {
            throw new InvalidArgumentException(method + "() needs at least one value. Fix: pass the values as "
                    + "text, for example " + method + "(\"new\", \"paid\").");
        }
        return Arrays.asList(values);
    }

    private AssertionError fail(String message, Throwable cause) {
        return Messages.withCause(failure("%s", message), cause);
    }
}
