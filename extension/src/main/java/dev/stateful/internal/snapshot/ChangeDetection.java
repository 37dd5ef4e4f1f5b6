package dev.stateful.internal.snapshot;

import dev.stateful.internal.pg.SqlIdentifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tell what changed in a database since a mark, from what the server says (never guessed): the
 * statistics' row counters and file of each relation, a hash of the catalog rows of user
 * objects, and the sequences' state. The result is a {@link Plan} of what to put back, or none
 * when only a full clone is exact. See {@link TableReset} for the rules.
 */
final class ChangeDetection {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeDetection.class);
    /** Table-level reset needs Postgres 15 ({@code pg_stat_force_next_flush}, {@code pg_snapshot_xmax}). */
    private static final int MIN_VERSION = 15;
    /** Pseudo-relation 0 (no relation has oid 0): the summed row counters of the system catalogs, to notice DDL cheaply. */
    private static final long CATALOG_ROWS = 0;
    /** At most this many rows written to one table are put back row by row; more, and the table is copied whole. */
    private static final long MAX_ROWS_PUT_BACK = 50_000;
    /** Tables to copy whole up to this many bytes in all are copied without comparing with the database's size. */
    private static final long SMALL_COPY_BYTES = 8L << 20;

    /** Relations whose rows change with data (tables, materialized views, the large-object catalogs). */
    private static final String RELATIONS = """
            SELECT c.oid, c.relkind, c.relfilenode, n.nspname, c.relname,
                   pg_stat_get_tuples_inserted(c.oid) + pg_stat_get_tuples_updated(c.oid)
                   + pg_stat_get_tuples_deleted(c.oid),
                   pg_stat_get_tuples_deleted(c.oid), pg_stat_get_live_tuples(c.oid),
                   pg_stat_get_vacuum_count(c.oid) + pg_stat_get_autovacuum_count(c.oid)
                   + pg_stat_get_analyze_count(c.oid) + pg_stat_get_autoanalyze_count(c.oid)
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (c.relkind IN ('r', 'm') AND c.relpersistence <> 't'
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%')
               OR c.oid IN ('pg_catalog.pg_largeobject'::regclass, 'pg_catalog.pg_largeobject_metadata'::regclass)
            UNION ALL
            SELECT 0::oid, 'c', 0, 'pg_catalog', 'catalog rows',
                   coalesce(sum(pg_stat_get_tuples_inserted(c.oid) + pg_stat_get_tuples_updated(c.oid)
                                + pg_stat_get_tuples_deleted(c.oid)), 0), 0, 0, 0
            FROM pg_catalog.pg_class c
            WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r'
              AND c.oid NOT IN ('pg_catalog.pg_statistic'::regclass, 'pg_catalog.pg_largeobject'::regclass,
                                'pg_catalog.pg_largeobject_metadata'::regclass)
            """;


    /** Hash of the catalog rows that describe user objects; temporary objects left out. */
    private static final String CATALOG = """
            WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace
                        WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'),
                 rel AS (SELECT oid FROM pg_catalog.pg_class
                         WHERE relnamespace IN (SELECT oid FROM ns) AND relpersistence <> 't' AND oid >= 16384)
            SELECT md5(coalesce(string_agg(x, E'\\n' ORDER BY x), '')) FROM (
              SELECT 'n' || ROW(n.oid, n.nspname, n.nspowner, n.nspacl)::text FROM pg_catalog.pg_namespace n
                WHERE n.oid >= 16384 AND n.oid IN (SELECT oid FROM ns)
              UNION ALL SELECT 'c' || ROW(c.oid, c.relname, c.relnamespace, c.reltype, c.relowner, c.relkind, c.relacl,
                  c.reloptions, c.relnatts, c.relchecks, c.relhasrules, c.relhastriggers, c.relrowsecurity,
                  c.relforcerowsecurity, c.relreplident, c.relispartition, c.relpersistence, c.reltablespace,
                  pg_catalog.pg_get_expr(c.relpartbound, c.oid))::text
                FROM pg_catalog.pg_class c WHERE c.oid IN (SELECT oid FROM rel)
              UNION ALL SELECT 'a' || ROW(a.*)::text FROM pg_catalog.pg_attribute a WHERE a.attrelid IN (SELECT oid FROM rel)
              UNION ALL SELECT 'd' || ROW(d.adrelid, d.adnum, pg_catalog.pg_get_expr(d.adbin, d.adrelid))::text
                FROM pg_catalog.pg_attrdef d WHERE d.adrelid IN (SELECT oid FROM rel)
              UNION ALL SELECT 'k' || ROW(k.oid, k.conname, k.connamespace, k.contype, k.conrelid, k.confrelid,
                  k.condeferrable, k.condeferred, k.convalidated, pg_catalog.pg_get_constraintdef(k.oid))::text
                FROM pg_catalog.pg_constraint k WHERE k.oid >= 16384 AND k.connamespace IN (SELECT oid FROM ns)
              UNION ALL SELECT 'i' || ROW(i.*)::text FROM pg_catalog.pg_index i WHERE i.indexrelid IN (SELECT oid FROM rel)
              UNION ALL SELECT 't' || ROW(t.*)::text FROM pg_catalog.pg_trigger t WHERE t.tgrelid IN (SELECT oid FROM rel)
              UNION ALL SELECT 'p' || ROW(p.*)::text FROM pg_catalog.pg_proc p
                WHERE p.oid >= 16384 AND p.pronamespace IN (SELECT oid FROM ns)
              UNION ALL SELECT 'y' || ROW(y.oid, y.typname, y.typnamespace, y.typowner, y.typtype, y.typacl,
                  y.typnotnull, y.typbasetype, pg_catalog.pg_get_expr(y.typdefaultbin, 0))::text
                FROM pg_catalog.pg_type y WHERE y.oid >= 16384 AND y.typnamespace IN (SELECT oid FROM ns)
              UNION ALL SELECT 'e' || ROW(e.*)::text FROM pg_catalog.pg_enum e WHERE e.oid >= 16384
              UNION ALL SELECT 'r' || ROW(r.*)::text FROM pg_catalog.pg_rewrite r WHERE r.ev_class IN (SELECT oid FROM rel)
              UNION ALL SELECT 'q' || ROW(q.*)::text FROM pg_catalog.pg_sequence q WHERE q.seqrelid IN (SELECT oid FROM rel)
              UNION ALL SELECT 'o' || ROW(o.*)::text FROM pg_catalog.pg_policy o
              UNION ALL SELECT 'h' || ROW(h.*)::text FROM pg_catalog.pg_inherits h
              UNION ALL SELECT 'x' || ROW(x.oid, x.extname, x.extversion, x.extconfig, x.extcondition)::text
                FROM pg_catalog.pg_extension x
              UNION ALL SELECT 'm' || ROW(m.*)::text FROM pg_catalog.pg_description m WHERE m.objoid >= 16384
              UNION ALL SELECT 'v' || ROW(v.*)::text FROM pg_catalog.pg_event_trigger v
              UNION ALL SELECT 's' || ROW(s.*)::text FROM pg_catalog.pg_statistic_ext s
            ) all_rows(x)
            """;

    private static final String SEQUENCES = """
            SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'S' AND c.relpersistence <> 't'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
            ORDER BY c.oid
            """;

    private static final String SERVER = """
            SELECT pg_postmaster_start_time()::text, d.oid, coalesce(s.stats_reset::text, ''),
                   current_setting('server_version_num')::int,
                   pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::bigint
            FROM pg_catalog.pg_database d LEFT JOIN pg_catalog.pg_stat_database s ON s.datid = d.oid
            WHERE d.datname = current_database()
            """;

    /** The tables and materialized views with the columns COPY writes and their primary keys. */
    private static final String TABLES = """
            SELECT c.oid, c.relkind, n.nspname, c.relname, pg_relation_size(c.oid),
                   array(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                         ORDER BY a.attnum),
                   array(SELECT a.attname::text FROM pg_catalog.pg_index i
                         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.ord),
                   array(SELECT pg_catalog.format_type(a.atttypid, NULL) FROM pg_catalog.pg_index i
                         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.ord)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
            """;

    /** Logged tables with a primary key and replica identity default or full: their name and key as test_decoding prints them. */
    private static final String DECODABLE = """
            SELECT c.oid, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),
                   array(SELECT pg_catalog.quote_ident(a.attname) FROM pg_catalog.pg_index i
                         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.ord)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND c.relpersistence = 'p' AND c.relreplident IN ('d', 'f')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
            """;

    private ChangeDetection() {
    }

    /**
     * One reading of the server: its identity (start time, database oid, statistics reset), the
     * server version, each relation's counters and the next transaction id (64 bits). Sizes are
     * not read here (each is a file system call): only for the tables a plan copies whole.
     */
    record Reading(String server, int version, Map<Long, RelationCounters> relations, long nextXid) {
        /** Whether the server is recent enough for a table-level reset. */
        boolean supported() {
            return version >= MIN_VERSION * 10_000;
        }
    }

    /** What the database looked like when a snapshot was taken. */
    record Baseline(String catalog, Map<Long, CopyableTable> tables, Map<Long, SequenceState> sequences,
                    Decodable decodable) {
    }

    /**
     * The tables whose written keys logical decoding can tell, by the name {@code test_decoding}
     * prints: their oid and their key columns as it prints them.
     */
    record Decodable(Map<String, Long> oids, Map<String, List<String>> keys) {
        /** The keys decoding gave per table oid, for the tables it fully knows. */
        Map<Long, Set<List<String>>> resolve(LogicalChanges.Changes changes) {
            Map<Long, Set<List<String>>> byOid = new HashMap<>();
            changes.keys().forEach((name, written) -> {
                Long oid = oids.get(name);
                if (oid != null && !changes.unknown().contains(name)) {
                    byOid.put(oid, written);
                }
            });
            return byOid;
        }
    }

    /**
     * What to put back: tables to copy whole, tables to put back row by row with their committed
     * inserts since the mark, and sequences that moved.
     */
    record Plan(List<CopyableTable> whole, Map<CopyableTable, Long> rowByRow, List<SequenceState> moved,
                Map<Long, Set<List<String>>> decodedKeys) {
        boolean isEmpty() {
            return whole.isEmpty() && rowByRow.isEmpty() && moved.isEmpty();
        }
    }

    /** Read the baseline of a snapshot just taken. */
    static Baseline baseline(Connection c, Reading now) throws SQLException {
        return new Baseline(catalog(c), tables(c), sequences(c), decodable(c));
    }

    /**
     * Compare a reading with the mark and plan what to put back.
     *
     * @param c a connection to the database
     * @param baseline the snapshot's baseline
     * @param marked the relations' counters at the mark
     * @param markedXid the next transaction id at the mark
     * @param now the reading now, of the same server as the mark
     * @param decoded the keys written per table as logical decoding gave them (empty without decoding)
     * @return what to put back, or empty when only a full clone is exact
     */
    static Optional<Plan> plan(Connection c, Baseline baseline, Map<Long, RelationCounters> marked, long markedXid,
                               Reading now, Map<Long, Set<List<String>>> decoded) throws SQLException {
        Map<Long, Set<List<String>>> decodedKeys = new HashMap<>();
        List<CopyableTable> whole = new ArrayList<>();
        Map<CopyableTable, Long> rowByRow = new LinkedHashMap<>();
        boolean catalogWritten = !Objects.equals(marked.get(CATALOG_ROWS), now.relations().get(CATALOG_ROWS));
        Set<Long> oids = new TreeSet<>(now.relations().keySet());
        oids.addAll(marked.keySet());
        oids.remove(CATALOG_ROWS);
        for (long oid : oids) {
            RelationCounters was = marked.get(oid);
            RelationCounters is = now.relations().get(oid);
            if (was != null && was.sameRowsAs(is)) {
                continue;
            }
            CopyableTable table = baseline.tables().get(oid);
            if (table == null || table.kind() != 'r') {
                LOG.debug("relation {} changed and cannot be copied back: full clone", oid);
                return Optional.empty();
            }
            Set<List<String>> keys = decoded.get(oid);
            if (keys != null && decodedRowByRow(table, was, is, keys.size())) {
                rowByRow.put(table, is.live() - was.live());
                decodedKeys.put(oid, keys);
                continue;
            }
            if (rowByRow(table, was, is, markedXid, now.nextXid())) {
                rowByRow.put(table, is.live() - was.live());
                continue;
            }
            whole.add(table);
        }
        if (!whole.isEmpty()) {
            long wholeBytes = wholeBytes(c, whole);
            // Up to a few MB a copy costs milliseconds: the database's size (a walk of its directory) is not read.
            long databaseSize = wholeBytes <= SMALL_COPY_BYTES ? Long.MAX_VALUE : databaseSize(c);
            if (wholeBytes > databaseSize / 4) {
                LOG.debug("changed tables hold {} of {} bytes: full clone", wholeBytes, databaseSize);
                return Optional.empty();
            }
        }
        // Catalog rows written (DDL, a truncation, a temporary table): tell DDL apart by the hash.
        if (catalogWritten && !catalog(c).equals(baseline.catalog())) {
            LOG.debug("the schema changed since the snapshot: full clone");
            return Optional.empty();
        }
        return Optional.of(new Plan(whole, rowByRow, moved(c, baseline.sequences()), decodedKeys));
    }

    /**
     * Whether a changed table can be put back row by row: it has a primary key, the same file,
     * no deletes and no vacuum or analyze since the mark (each would make the counters or the
     * rows' transaction ids say less), not too many rows written, and the transaction id counter
     * has not wrapped its 32 bits since the mark.
     */
    private static boolean rowByRow(CopyableTable table, RelationCounters was, RelationCounters is, long markedXid,
                                    long nextXid) {
        return table.kind() == 'r' && !table.key().isEmpty() && was != null && is != null
                && was.file() == is.file() && was.deletes() == is.deletes() && was.maintenance() == is.maintenance()
                && is.writes() - was.writes() <= MAX_ROWS_PUT_BACK
                && (markedXid >>> 32) == (nextXid >>> 32);
    }

    /**
     * Whether a changed table can be put back by the keys decoding gave: a primary key, the same
     * file, no vacuum or analyze since the mark (the live-row counter checks the result), and not
     * too many rows. Deletes are fine: decoding gives their keys.
     */
    private static boolean decodedRowByRow(CopyableTable table, RelationCounters was, RelationCounters is, int keys) {
        return table.kind() == 'r' && !table.key().isEmpty() && was != null && is != null
                && was.file() == is.file() && was.maintenance() == is.maintenance()
                && is.writes() - was.writes() <= MAX_ROWS_PUT_BACK && keys <= MAX_ROWS_PUT_BACK;
    }

    private static Decodable decodable(Connection c) throws SQLException {
        Map<String, Long> oids = new HashMap<>();
        Map<String, List<String>> keys = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(DECODABLE)) {
            while (rs.next()) {
                oids.put(rs.getString(2), rs.getLong(1));
                keys.put(rs.getString(2), List.of((String[]) rs.getArray(3).getArray()));
            }
        }
        return new Decodable(oids, keys);
    }

    /** The bytes of the tables to copy whole: the bigger of their size at the baseline and now. */
    private static long wholeBytes(Connection c, List<CopyableTable> whole) throws SQLException {
        StringBuilder oids = new StringBuilder();
        for (CopyableTable t : whole) {
            oids.append(oids.length() == 0 ? "" : ",").append(t.oid());
        }
        Map<Long, Long> now = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT o, coalesce(pg_catalog.pg_relation_size(o), 0) FROM unnest('{" + oids + "}'::oid[]) o")) {
            while (rs.next()) {
                now.put(rs.getLong(1), rs.getLong(2));
            }
        }
        long bytes = 0;
        for (CopyableTable t : whole) {
            bytes += Math.max(t.bytes(), now.getOrDefault(t.oid(), 0L));
        }
        return bytes;
    }

    private static long databaseSize(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Read the server's identity and counters. */
    static Reading read(Connection c) throws SQLException {
        String server;
        int version;
        long nextXid;
        Map<Long, RelationCounters> relations = new HashMap<>();
        // One round trip: each statement runs in a transaction of its own and sees fresh counters.
        try (Statement s = c.createStatement()) {
            s.execute(SERVER + ";\n" + RELATIONS);
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                server = rs.getString(1) + "/" + rs.getLong(2) + "/" + rs.getString(3);
                version = rs.getInt(4);
                nextXid = rs.getLong(5);
            }
            if (!s.getMoreResults()) {
                throw new SQLException("expected the relation counters as a second result");
            }
            try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                    relations.put(rs.getLong(1), new RelationCounters(rs.getLong(3), rs.getLong(6), rs.getLong(7),
                            rs.getLong(8), rs.getLong(9)));
                }
            }
        }
        return new Reading(server, version, relations, nextXid);
    }

    /** A reading with our own copy's counters flushed first: the flush happens before the server answers. */
    static Reading flushed(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
        }
        return read(c);
    }

    private static Map<Long, CopyableTable> tables(Connection c) throws SQLException {
        Map<Long, CopyableTable> tables = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(TABLES)) {
            while (rs.next()) {
                long oid = rs.getLong(1);
                char kind = rs.getString(2).charAt(0);
                List<String> columns = new ArrayList<>();
                long bytes = rs.getLong(5);
                for (String column : (String[]) rs.getArray(6).getArray()) {
                    columns.add(SqlIdentifiers.quote(column));
                }
                List<String> key = new ArrayList<>();
                for (String column : (String[]) rs.getArray(7).getArray()) {
                    key.add(SqlIdentifiers.quote(column));
                }
                List<String> keyTypes = List.of((String[]) rs.getArray(8).getArray());
                // A table without columns cannot be copied back: treat it as not restorable.
                char restorable = columns.isEmpty() ? 'x' : kind;
                tables.put(oid, new CopyableTable(oid, restorable,
                        SqlIdentifiers.quote(rs.getString(3)) + "." + SqlIdentifiers.quote(rs.getString(4)),
                        columns, bytes, key, keyTypes));
            }
        }
        return tables;
    }

    private static String catalog(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CATALOG)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<Long, SequenceState> sequences(Connection c) throws SQLException {
        Map<Long, String> names = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SEQUENCES)) {
            while (rs.next()) {
                names.put(rs.getLong(1), SqlIdentifiers.quote(rs.getString(2)) + "." + SqlIdentifiers.quote(rs.getString(3)));
            }
        }
        Map<Long, SequenceState> states = sequenceStates(c, names);
        Map<Long, SequenceState> sequences = new LinkedHashMap<>();
        for (Long oid : names.keySet()) {
            if (states.containsKey(oid)) {
                sequences.put(oid, states.get(oid));
            }
        }
        return sequences;
    }

    private static Map<Long, SequenceState> sequenceStates(Connection c, Map<Long, String> names) throws SQLException {
        Map<Long, SequenceState> states = new HashMap<>();
        List<Long> oids = new ArrayList<>(names.keySet());
        for (int from = 0; from < oids.size(); from += 100) {
            StringBuilder sql = new StringBuilder();
            for (int i = from; i < Math.min(oids.size(), from + 100); i++) {
                if (i > from) {
                    sql.append(" UNION ALL ");
                }
                sql.append("SELECT ").append(oids.get(i)).append("::bigint, last_value, is_called FROM ")
                        .append(names.get(oids.get(i)));
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    states.put(oid, new SequenceState(oid, names.get(oid), rs.getLong(2), rs.getBoolean(3)));
                }
            }
        }
        return states;
    }

    private static List<SequenceState> moved(Connection c, Map<Long, SequenceState> baseline) throws SQLException {
        Map<Long, String> names = new LinkedHashMap<>();
        baseline.values().forEach(q -> names.put(q.oid(), q.qualified()));
        Map<Long, SequenceState> now = sequenceStates(c, names);
        List<SequenceState> moved = new ArrayList<>();
        for (SequenceState q : baseline.values()) {
            if (!q.sameAs(now.get(q.oid()))) {
                moved.add(q);
            }
        }
        return moved;
    }
}
