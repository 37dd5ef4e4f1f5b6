package dev.stateful.assertj;

import dev.stateful.internal.pg.SqlIdentifiers;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Read what the assertions check from the server's catalog and tables. */
final class Catalog {
    private static final String RELATION = """
            SELECT c.oid, n.nspname, c.relname, c.relkind
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = pg_catalog.to_regclass(?)
            """;
    private static final String COLUMNS = """
            SELECT attname FROM pg_catalog.pg_attribute
            WHERE attrelid = ?::pg_catalog.oid AND attnum > 0 AND NOT attisdropped
            ORDER BY attnum
            """;
    private static final String PRIMARY_KEY = """
            SELECT a.attname
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = ?::pg_catalog.oid AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """;
    private static final String FLYWAY_TABLES = """
            SELECT c.oid, n.nspname, c.relname, c.relkind
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = 'flyway_schema_history' AND c.relkind IN ('r', 'p')
            ORDER BY c.oid = coalesce(pg_catalog.to_regclass('flyway_schema_history')::oid, 0) DESC, n.nspname
            """;

    private Catalog() {
    }

    /** A table, view or other relation the server knows. */
    record Relation(long oid, String schema, String name, String kind) {
        /**
         * Return {@code schema.name} as messages show it.
         *
         * @return the unquoted qualified name
         */
        String qualified() {
            return schema + "." + name;
        }

        /**
         * Return the quoted qualified name for SQL.
         *
         * @return {@code "schema"."name"}
         */
        String sql() {
            return SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(name);
        }

        boolean isTable() {
            return "r".equals(kind) || "p".equals(kind);
        }

        String kindName() {
            return switch (kind) {
                case "r" -> "table";
                case "p" -> "partitioned table";
                case "v" -> "view";
                case "m" -> "materialized view";
                case "f" -> "foreign table";
                case "S" -> "sequence";
                case "i", "I" -> "index";
                case "c" -> "composite type";
                default -> "relation of kind '" + kind + "'";
            };
        }
    }

    /** One row of Flyway's schema history. */
    record HistoryRow(int rank, String version, String description, String type, boolean success) {
    }

    static List<String> userTables(Connection c) throws SQLException {
        return dev.stateful.DatabaseFingerprint.userTables(c);
    }

    static String searchPath(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Find a relation as SQL would: {@code orders} through the search path, {@code app.orders}
     * in a schema, unquoted names folded to lower case.
     */
    static Optional<Relation> relation(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RELATION)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(relation(rs)) : Optional.empty();
            }
        }
    }

    static List<String> columns(Connection c, Relation table) throws SQLException {
        return strings(c, COLUMNS, table.oid());
    }

    static List<String> primaryKey(Connection c, Relation table) throws SQLException {
        return strings(c, PRIMARY_KEY, table.oid());
    }

    /**
     * Find a column by its exact name, else by the name as SQL reads it ({@code Email} is
     * {@code email}, {@code "Email"} is {@code Email}); empty when the table has no such column.
     */
    static Optional<String> column(Connection c, Relation table, String name) throws SQLException {
        List<String> columns = columns(c, table);
        if (columns.contains(name)) {
            return Optional.of(name);
        }
        List<String> parts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.unnest(pg_catalog.parse_ident(?, false))")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    parts.add(rs.getString(1));
                }
            }
        }
        return parts.size() == 1 && columns.contains(parts.get(0)) ? Optional.of(parts.get(0)) : Optional.empty();
    }

    static long count(Connection c, Relation table, String condition) throws SQLException {
        String sql = "SELECT count(*) FROM " + table.sql() + " AS t" + (condition == null ? "" : " WHERE " + condition);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Return the first rows in their text form, such as {@code (1,alice)}. */
    static List<String> sampleRows(Connection c, Relation table, int limit) throws SQLException {
        return strings(c, "SELECT ROW(t.*)::text FROM " + table.sql() + " AS t LIMIT " + limit);
    }

    /**
     * Describe rows where a column is NULL by their primary key ({@code id=3}), or by
     * {@code ctid} when the table has none.
     */
    static List<String> nullRowKeys(Connection c, Relation table, String column, int limit) throws SQLException {
        List<String> key = primaryKey(c, table);
        List<String> select = new ArrayList<>();
        if (key.isEmpty()) {
            select.add("'ctid=' || t.ctid::text");
        } else {
            for (String k : key) {
                select.add(SqlIdentifiers.literal(k + "=") + " || coalesce(t." + SqlIdentifiers.quote(k) + "::text, 'NULL')");
            }
        }
        String order = key.isEmpty() ? "t.ctid" : String.join(", ", key.stream().map(k -> "t." + SqlIdentifiers.quote(k)).toList());
        String sql = "SELECT concat_ws(', ', " + String.join(", ", select) + ") FROM " + table.sql() + " AS t WHERE t."
                + SqlIdentifiers.quote(column) + " IS NULL ORDER BY " + order + " LIMIT " + limit;
        return strings(c, sql);
    }

    /**
     * Count the rows per value (text form, {@code null} for NULL) that is not among the allowed
     * ones, most frequent first.
     */
    static List<ValueCount> valuesOutside(Connection c, Relation table, String column, List<String> allowed,
            boolean nullAllowed, int limit) throws SQLException {
        String col = "t." + SqlIdentifiers.quote(column);
        String sql = "SELECT " + col + "::text, count(*) FROM " + table.sql() + " AS t WHERE "
                + (nullAllowed ? "" : col + " IS NULL OR ") + "NOT (" + col + "::text = ANY (?)) "
                + "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT " + limit;
        List<ValueCount> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("text", allowed.toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new ValueCount(rs.getString(1), rs.getLong(2)));
                }
            } finally {
                array.free();
            }
        }
        return result;
    }

    /** Return which of the values (text form) the column holds in some row. */
    static List<String> valuesPresent(Connection c, Relation table, String column, List<String> values)
            throws SQLException {
        String col = "t." + SqlIdentifiers.quote(column);
        String sql = "SELECT DISTINCT " + col + "::text FROM " + table.sql() + " AS t WHERE " + col + "::text = ANY (?)";
        List<String> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("text", values.toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            } finally {
                array.free();
            }
        }
        return result;
    }

    /** Return some distinct values of a column in text form ({@code null} for NULL), sorted. */
    static List<String> someValues(Connection c, Relation table, String column, int limit) throws SQLException {
        String col = "t." + SqlIdentifiers.quote(column);
        return strings(c, "SELECT DISTINCT " + col + "::text FROM " + table.sql() + " AS t ORDER BY 1 LIMIT " + limit);
    }

    /** Find Flyway's history table: the one on the search path first, else the first by schema. */
    static Optional<Relation> flywayHistory(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(FLYWAY_TABLES)) {
            return rs.next() ? Optional.of(relation(rs)) : Optional.empty();
        }
    }

    static List<HistoryRow> history(Connection c, Relation table) throws SQLException {
        String sql = "SELECT installed_rank, version, description, type, success FROM " + table.sql()
                + " ORDER BY installed_rank";
        List<HistoryRow> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(new HistoryRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5)));
            }
        }
        return rows;
    }

    /** A value in text form ({@code null} for NULL) and how many rows hold it. */
    record ValueCount(String value, long rows) {
    }

    private static Relation relation(ResultSet rs) throws SQLException {
        return new Relation(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
    }

    private static List<String> strings(Connection c, String sql, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            return strings(ps.executeQuery());
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return strings(st.executeQuery(sql));
        }
    }

    private static List<String> strings(ResultSet resultSet) throws SQLException {
        List<String> result = new ArrayList<>();
        try (ResultSet rs = resultSet) {
            while (rs.next()) {
                result.add(rs.getString(1));
            }
        }
        return result;
    }
}
