package dev.stateful;

import dev.stateful.error.StatefulException;
import dev.stateful.internal.pg.SqlIdentifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Fingerprint of every user table of a database: per table its row count and a hash of its
 * content, to tell whether data survived an operation.
 *
 * <p>User tables are the ordinary and partitioned tables in every schema except
 * {@code pg_catalog}, {@code information_schema} and the {@code pg_toast*} schemas, temporary
 * tables left out. Tables an application or a tool created count too, such as Flyway's
 * {@code flyway_schema_history}. Tables are named {@code schema.table}, unquoted.
 *
 * <p>The hash does not depend on the order of the rows: it is the MD5 of the sorted MD5s of
 * each row's text form, computed by the server. An ordinary table counts its own rows only
 * (not those of tables inheriting from it); a partitioned table counts the rows of all its
 * partitions, which are listed as tables of their own as well.
 *
 * <pre>{@code
 * DatabaseFingerprint before = db.fingerprint();
 * db.recreate("postgres:17.2");
 * DatabaseFingerprint after = db.fingerprint();
 * assertEquals(before, after, () -> String.join("\n", before.diff(after)));
 * }</pre>
 *
 * <p>Immutable; equal when the same tables have the same row counts and hashes.
 */
public final class DatabaseFingerprint {
    private static final String LIST_TABLES = """
            SELECT n.nspname, c.relname, c.relkind
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND c.relpersistence <> 't'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%'
            ORDER BY n.nspname, c.relname
            """;
    private static final int TABLES_PER_QUERY = 50;
    private static final int SHORT_HASH = 8;

    private final SortedMap<String, TableFingerprint> tables;

    private DatabaseFingerprint(SortedMap<String, TableFingerprint> tables) {
        this.tables = Collections.unmodifiableSortedMap(tables);
    }

    /**
     * List the user tables a fingerprint covers: ordinary and partitioned tables of every schema
     * but {@code pg_catalog}, {@code information_schema} and {@code pg_toast*}, temporary ones left out.
     *
     * @param c a connection to the database
     * @return {@code schema.table} names, sorted
     * @throws SQLException when the catalog cannot be read
     */
    public static List<String> userTables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(LIST_TABLES)) {
            while (rs.next()) {
                names.add(rs.getString(1) + "." + rs.getString(2));
            }
        }
        return names;
    }

    /**
     * Create a fingerprint from known values, for example to compare with one read from a database.
     *
     * @param tables table name ({@code schema.table}) to its fingerprint
     * @return the fingerprint
     */
    public static DatabaseFingerprint of(Map<String, TableFingerprint> tables) {
        SortedMap<String, TableFingerprint> copy = new TreeMap<>();
        Objects.requireNonNull(tables, "tables").forEach((name, table) ->
                copy.put(Objects.requireNonNull(name, "table name"), Objects.requireNonNull(table, name)));
        return new DatabaseFingerprint(copy);
    }

    /**
     * Read the fingerprint of the database a handle runs, over a connection of its own.
     *
     * @param db a running handle
     * @return the fingerprint of its database now
     * @throws StatefulException when connecting or a query fails
     * @throws dev.stateful.error.ServerNotRunningException when the container stopped behind the handle's back
     * @throws IllegalStateException when the server is not running
     */
    public static DatabaseFingerprint of(StatefulPostgres db) {
        try (Connection c = db.connection()) {
            return read(c);
        } catch (SQLException e) {
            dev.stateful.internal.HandleAccess.server(db).failIfNotRunning("fingerprint()", e);
            throw failed(db.database(), e);
        }
    }

    /**
     * Read the fingerprint of the database a connection is connected to. The connection is left
     * open and its transaction settings untouched; each query sees its own snapshot unless the
     * caller runs a repeatable-read transaction.
     *
     * @param connection an open connection
     * @return the fingerprint of its database now
     * @throws StatefulException when a query fails
     */
    public static DatabaseFingerprint of(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        try {
            return read(connection);
        } catch (SQLException e) {
            throw failed(null, e);
        }
    }

    /**
     * Return the fingerprints of the tables, sorted by name.
     *
     * @return an unmodifiable map from {@code schema.table} to its fingerprint
     */
    public SortedMap<String, TableFingerprint> tables() {
        return tables;
    }

    /**
     * Describe how a later fingerprint differs from this one, one line per changed table, in
     * table order: {@code public.orders: rows 3 -> 2},
     * {@code public.orders: same row count (3) but content changed},
     * {@code public.audit: table added (1 row)} or {@code public.tmp: table removed (had 2 rows)}.
     *
     * @param after the fingerprint taken later
     * @return the differences; empty when the fingerprints are equal
     */
    public List<String> diff(DatabaseFingerprint after) {
        Objects.requireNonNull(after, "after");
        TreeSet<String> names = new TreeSet<>(tables.keySet());
        names.addAll(after.tables.keySet());
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            TableFingerprint was = tables.get(name);
            TableFingerprint now = after.tables.get(name);
            if (was == null) {
                lines.add(name + ": table added (" + describeRows(now.rows()) + ")");
            } else if (now == null) {
                lines.add(name + ": table removed (had " + describeRows(was.rows()) + ")");
            } else if (was.rows() != now.rows()) {
                lines.add(name + ": rows " + was.rows() + " -> " + now.rows());
            } else if (!was.hash().equals(now.hash())) {
                lines.add(name + ": same row count (" + was.rows() + ") but content changed");
            }
        }
        return lines;
    }

    /**
     * Return the total number of rows in all tables.
     *
     * @return the sum of the row counts
     */
    public long totalRows() {
        return tables.values().stream().mapToLong(TableFingerprint::rows).sum();
    }

    /**
     * Compare with another fingerprint: equal when both have the same tables with the same row
     * counts and hashes.
     *
     * @param o the other object
     * @return whether it is an equal fingerprint
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseFingerprint other && tables.equals(other.tables);
    }

    /**
     * Return a hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code of the table map
     */
    @Override
    public int hashCode() {
        return tables.hashCode();
    }

    /**
     * Return one line per table with its row count and the start of its hash, for messages.
     *
     * @return for example {@code DatabaseFingerprint (1 table)\n  public.orders: 3 rows, hash 1a2b3c4d}
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DatabaseFingerprint (").append(tables.size())
                .append(tables.size() == 1 ? " table)" : " tables)");
        tables.forEach((name, table) -> s.append("\n  ").append(name).append(": ").append(table));
        return s.toString();
    }

    static String describeRows(long n) {
        return n + (n == 1 ? " row" : " rows");
    }

    private static DatabaseFingerprint read(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(LIST_TABLES)) {
            while (rs.next()) {
                String schema = rs.getString(1);
                String table = rs.getString(2);
                boolean partitioned = "p".equals(rs.getString(3));
                names.add(schema + "." + table);
                // ONLY: an inheritance parent's own rows. A partitioned table has none of its own.
                sources.add((partitioned ? "" : "ONLY ") + SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(table));
            }
        }
        SortedMap<String, TableFingerprint> result = new TreeMap<>();
        for (int from = 0; from < names.size(); from += TABLES_PER_QUERY) {
            int to = Math.min(names.size(), from + TABLES_PER_QUERY);
            StringBuilder sql = new StringBuilder();
            for (int i = from; i < to; i++) {
                if (i > from) {
                    sql.append("\nUNION ALL\n");
                }
                // ROW(t.*) and not t: a column named t would win over the whole-row reference.
                sql.append("SELECT ").append(i).append(", count(*), md5(coalesce(string_agg(h, ',' ORDER BY h), '')) ")
                        .append("FROM (SELECT md5(ROW(t.*)::text) AS h FROM ").append(sources.get(i)).append(" AS t) x");
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
                while (rs.next()) {
                    result.put(names.get(rs.getInt(1)), new TableFingerprint(rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return new DatabaseFingerprint(result);
    }

    private static StatefulException failed(String database, SQLException e) {
        String where = database == null ? "the database" : "database '" + database + "'";
        String state = e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")";
        return new StatefulException("Could not take a fingerprint of " + where + ": " + e.getMessage() + state
                + ". Fix: make sure the server runs and the role may read every user table.", e);
    }

    /**
     * Fingerprint of one table: its row count and the hash of its content.
     *
     * @param rows the number of rows
     * @param hash the hex MD5 over the sorted MD5s of the rows' text forms
     */
    public record TableFingerprint(long rows, String hash) {
        /**
         * Check the values.
         *
         * @param rows zero or more
         * @param hash not {@code null}
         */
        public TableFingerprint {
            if (rows < 0) {
                throw new IllegalArgumentException("rows must not be negative: " + rows);
            }
            Objects.requireNonNull(hash, "hash");
        }

        /**
         * Return the row count and the start of the hash.
         *
         * @return for example {@code 3 rows, hash 1a2b3c4d}
         */
        @Override
        public String toString() {
            return describeRows(rows) + ", hash " + (hash.length() > SHORT_HASH ? hash.substring(0, SHORT_HASH) : hash);
        }
    }
}
