package dev.stateful.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The tables and indexes of a database at one moment, with the file each one is stored in:
 * a table whose file changed between two snapshots was rewritten, an index that is new (or
 * whose file changed) was built.
 */
final class CatalogSnapshot {
    private static final String QUERY = "SELECT c.oid::bigint, n.nspname, c.relname, format('%I.%I', n.nspname, "
            + "c.relname), c.relkind, pg_relation_filenode(c.oid)::bigint, c.reltuples::bigint, i.indrelid::bigint "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "LEFT JOIN pg_index i ON i.indexrelid = c.oid "
            + "WHERE c.relkind IN ('r', 'p', 'm', 'i') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

    /**
     * One table or index.
     *
     * @param oid its object id
     * @param schema its schema
     * @param relname its unquoted name
     * @param name {@code schema.name}, quoted where needed
     * @param kind {@code r}, {@code p}, {@code m} or {@code i}
     * @param filenode its file, {@code 0} when it has none (a partitioned table)
     * @param rows Postgres' estimate of its rows, {@code -1} when never analysed
     * @param table for an index, the oid of its table; otherwise {@code 0}
     */
    record Rel(long oid, String schema, String relname, String name, char kind, long filenode, long rows, long table) {
        boolean isTable() {
            return kind != 'i';
        }
    }

    private final Map<Long, Rel> byOid;

    private CatalogSnapshot(Map<Long, Rel> byOid) {
        this.byOid = Collections.unmodifiableMap(byOid);
    }

    static CatalogSnapshot take(Connection c) throws SQLException {
        Map<Long, Rel> rels = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                Rel rel = new Rel(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5).charAt(0), rs.getLong(6), rs.getLong(7), rs.getLong(8));
                rels.put(rel.oid(), rel);
            }
        }
        return new CatalogSnapshot(rels);
    }

    static CatalogSnapshot empty() {
        return new CatalogSnapshot(Map.of());
    }

    Rel get(long oid) {
        return byOid.get(oid);
    }

    Map<Long, Rel> all() {
        return byOid;
    }

    /** The table of this snapshot with an unquoted name, preferring one of the given oids. */
    Rel tableNamed(String relname, java.util.Collection<Long> preferred) {
        Rel found = null;
        for (Rel rel : byOid.values()) {
            if (rel.isTable() && rel.relname().equals(relname)) {
                if (preferred.contains(rel.oid())) {
                    return rel;
                }
                if (found == null) {
                    found = rel;
                }
            }
        }
        return found;
    }
}
