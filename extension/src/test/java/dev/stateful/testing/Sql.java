package dev.stateful.testing;

import dev.stateful.StatefulPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * JDBC in one line for tests: run statements, read one value, one column or a row count. Each
 * call opens a session of its own on the handle's database and closes it before it returns.
 */
public final class Sql {
    /** Drop every user schema with its contents, then create an empty {@code public} schema. */
    public static final String DROP_USER_SCHEMAS = """
            DO $$
            DECLARE s text;
            BEGIN
              FOR s IN SELECT nspname FROM pg_catalog.pg_namespace
                       WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
              LOOP
                EXECUTE format('DROP SCHEMA %I CASCADE', s);
              END LOOP;
              CREATE SCHEMA public;
            END $$""";

    private Sql() {
    }

    /**
     * Run statements in order on one session (autocommit: each is committed when it ends).
     *
     * @param db the running database
     * @param statements SQL statements; one string may hold several separated by semicolons
     * @throws SQLException when a statement fails; the later ones do not run
     */
    public static void run(StatefulPostgres db, String... statements) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /**
     * Return the first column of the first row a query gives, as text. In a string of several
     * statements, the first one that gives rows counts.
     *
     * @param db the running database
     * @param query SQL that gives rows, possibly after statements that do not
     * @return the value as {@link ResultSet#getString(int)} gives it; null when SQL NULL or no row
     * @throws SQLException when the query fails
     */
    public static String text(StatefulPostgres db, String query) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            boolean hasRows = s.execute(query);
            while (!hasRows && s.getUpdateCount() != -1) {
                hasRows = s.getMoreResults();
            }
            if (!hasRows) {
                throw new AssertionError("no statement gives rows: " + query);
            }
            try (ResultSet rs = s.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Return the first column of the first row of a query as a number.
     *
     * @param db the running database
     * @param query SQL whose first row's first column is an integer (a count, an oid, a sum)
     * @return the value; SQL NULL gives 0, as {@link ResultSet#getLong(int)} does
     * @throws SQLException when the query fails
     */
    public static long number(StatefulPostgres db, String query) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            if (!rs.next()) {
                throw new AssertionError("no row: " + query);
            }
            return rs.getLong(1);
        }
    }

    /**
     * Count the rows of a table.
     *
     * @param db the running database
     * @param table a table name as SQL takes it, optionally schema-qualified
     * @return {@code count(*)} of the table
     * @throws SQLException when the table does not exist
     */
    public static long count(StatefulPostgres db, String table) throws SQLException {
        return number(db, "SELECT count(*) FROM " + table);
    }

    /**
     * Return the first column of every row of a query, as text, in the query's order.
     *
     * @param db the running database
     * @param query SQL that gives rows
     * @return the values, possibly empty; SQL NULL as null
     * @throws SQLException when the query fails
     */
    public static List<String> column(StatefulPostgres db, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /**
     * Tell whether a table (or another relation) of that name exists on the search path.
     *
     * @param db the running database
     * @param table a relation name as SQL takes it, optionally schema-qualified
     * @return {@code true} when {@code to_regclass} finds it
     * @throws SQLException when the query fails
     */
    public static boolean tableExists(StatefulPostgres db, String table) throws SQLException {
        return number(db, "SELECT (to_regclass('" + table.replace("'", "''") + "') IS NOT NULL)::int") == 1;
    }
}
