package dev.stateful.internal.snapshot;

import dev.stateful.internal.Server;
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
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Put a database back to a snapshot table by table: only the tables a test changed, and the
 * sequences it moved, are copied back from a reference copy of the snapshot.
 *
 * <p>What changed since the last reset is read from the server, never guessed:
 * <ul>
 *   <li>rows: the cumulative per-table counters of the statistics system
 *       ({@code pg_stat_get_tuples_inserted/updated/deleted}), read after every session of the database has ended, so that
 *       each one has flushed its counters (a rename of the database is the barrier: it waits
 *       until no backend is attached any more);</li>
 *   <li>truncations and rewrites: a new {@code relfilenode};</li>
 *   <li>schema: a hash of the catalog rows of user objects (tables, columns, defaults,
 *       constraints, indexes, triggers, functions, types, views, sequences' definitions,
 *       policies, extensions, comments); any difference is DDL;</li>
 *   <li>sequences: {@code last_value} and {@code is_called} against the snapshot's.</li>
 * </ul>
 *
 * <p>A changed table with a primary key whose rows were only inserted and updated (no
 * {@code DELETE}, no vacuum or analyze since the last reset) is put back <b>row by row</b>: every
 * row version written since the last reset carries a transaction id ({@code xmin}) at or after
 * the boundary read then, so those rows are deleted (returning their keys) and the reference's
 * rows with those keys copied back. The cost follows the rows a test wrote, plus one scan of the
 * table, not the table's size in writes. It is exact only when every baseline key is still
 * present, which the statistics prove: the rows deleted minus the rows put back must equal the
 * committed inserts ({@code pg_stat_get_live_tuples} since the last reset); a key changed by an
 * {@code UPDATE} breaks the equality and the whole database is cloned instead.
 *
 * <p>Other changed tables are emptied ({@code TRUNCATE} where no table outside them references
 * them, {@code DELETE} otherwise) and refilled with binary {@code COPY} from the reference, in one
 * transaction with {@code session_replication_role = replica}, so neither foreign keys nor user
 * triggers fire. Anything this cannot undo exactly returns {@code false} and the caller clones
 * the whole database: DDL, a server restart, reset statistics, a dropped or recreated database,
 * large objects, a changed materialized view, Postgres before 15, a transaction id counter that
 * wrapped since the last reset, or tables to copy whole that hold more than a quarter of the
 * database (then a full clone is cheaper).
 */
final class TableReset implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableReset.class);
    private static final int MIN_VERSION = 15;
    /** Pseudo-relation 0 (no relation has oid 0): the summed row counters of the system catalogs, to notice DDL cheaply. */
    private static final long CATALOG_ROWS = 0;
    /** Changed tables up to this size are emptied with DELETE (no new files, no catalog write), bigger ones truncated. */
    private static final long DELETE_BELOW_BYTES = 1 << 20;
    /** At most this many rows written to one table are put back row by row; more, and the table is copied whole. */
    private static final long MAX_ROWS_PUT_BACK = 50_000;
    private static final int FILE = 0;
    private static final int WRITES = 1;
    private static final int DELETES = 2;
    private static final int LIVE = 3;
    private static final int MAINTENANCE = 4;

    /** Relations whose rows change with data (tables, materialized views, the large-object catalogs). */
    private static final String RELATIONS = """
            SELECT c.oid, c.relkind, c.relfilenode, n.nspname, c.relname,
                   pg_stat_get_tuples_inserted(c.oid) + pg_stat_get_tuples_updated(c.oid)
                   + pg_stat_get_tuples_deleted(c.oid),
                   pg_relation_size(c.oid),
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
                                + pg_stat_get_tuples_deleted(c.oid)), 0), 0, 0, 0, 0
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
                   pg_database_size(d.oid), current_setting('server_version_num')::int,
                   pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::bigint
            FROM pg_catalog.pg_database d LEFT JOIN pg_catalog.pg_stat_database s ON s.datid = d.oid
            WHERE d.datname = current_database()
            """;

    private final Server db;
    private final Map<String, Baseline> baselines = new HashMap<>();
    private final Map<String, Connection> references = new HashMap<>();
    private Mark mark;
    private long rowByRowTables;

    TableReset(Server db) {
        this.db = db;
    }

    /** What the database looked like when a snapshot was taken. */
    private record Baseline(String catalog, Map<Long, Table> tables, Map<Long, Sequence> sequences) {
    }

    /**
     * A table to copy back: name, the columns COPY may write (no generated ones), and its primary
     * key's columns and their types (empty without a primary key).
     */
    private record Table(long oid, char kind, String qualified, List<String> columns, long bytes,
                         List<String> key, List<String> keyTypes) {
    }

    /** A sequence and its state in the snapshot. */
    private record Sequence(long oid, String qualified, long lastValue, boolean called) {
    }

    /**
     * Where the counters stood after the last take or reset, of which server and database, and
     * the first transaction id that can have written a row since ({@code nextXid}, 64 bits).
     */
    private record Mark(String snapshot, String server, Map<Long, long[]> relations, long nextXid) {
    }

    /**
     * Per relation: relfilenode, the sum of its row counters, its deletes, its live rows and its
     * vacuums and analyzes ({@link #FILE} … {@link #MAINTENANCE}); the next transaction id.
     */
    private record Reading(String server, long databaseSize, int version, Map<Long, long[]> relations,
                           Map<Long, Long> sizes, long nextXid) {
    }

    // ------------------------------------------------------------------ baseline and marks

    /**
     * Record the baseline of a snapshot just taken: no session is attached to the database
     * (taking the snapshot waited for all to end), so its counters are flushed.
     */
    synchronized void baseline(String name) {
        forget(name);
        try (Connection c = db.connect(db.database())) {
            Reading now = read(c);
            if (now.version() < MIN_VERSION * 10_000) {
                mark = null;
                return;
            }
            Map<Long, Table> tables = tables(c, now.sizes());
            baselines.put(name, new Baseline(catalog(c), tables, sequences(c)));
            mark = new Mark(name, now.server(), now.relations(), now.nextXid());
        } catch (SQLException e) {
            LOG.debug("no table-level reset for snapshot '{}': {}", name, e.getMessage());
            baselines.remove(name);
            mark = null;
        }
    }

    /** Record the counters after the database was cloned whole from a snapshot. */
    synchronized void clonedFrom(String name) {
        mark = null;
        if (!baselines.containsKey(name)) {
            return;
        }
        try (Connection c = db.connect(db.database())) {
            Reading now = read(c);
            mark = new Mark(name, now.server(), now.relations(), now.nextXid());
        } catch (SQLException e) {
            LOG.debug("no table-level reset after cloning '{}': {}", name, e.getMessage());
        }
    }

    /** Forget a snapshot that is dropped or taken again: close its reference connection. */
    synchronized void forget(String name) {
        baselines.remove(name);
        closeQuietly(references.remove(name));
        if (mark != null && mark.snapshot().equals(name)) {
            mark = null;
        }
    }

    /** Whether the next reset to this snapshot may go table by table. */
    synchronized boolean tracks(String name) {
        return mark != null && mark.snapshot().equals(name) && baselines.containsKey(name);
    }

    // ------------------------------------------------------------------ reset

    /**
     * Put back what changed since the last mark, from the reference database. The caller has
     * ended every other session of the database and waited until none is attached.
     *
     * @param name the snapshot
     * @param reference the database to copy unchanged rows from (a clone of the snapshot)
     * @return {@code true} when the database equals the snapshot again; {@code false} when it
     *     must be cloned whole (nothing was changed then)
     */
    synchronized boolean reset(String name, String reference) {
        if (!tracks(name)) {
            return false;
        }
        Baseline baseline = baselines.get(name);
        long started = System.nanoTime();
        try (Connection c = db.connect(db.database())) {
            long connected = System.nanoTime();
            Reading now = read(c);
            long counted = System.nanoTime();
            if (!now.server().equals(mark.server())) {
                LOG.debug("server restarted, database recreated or statistics reset since the baseline: full clone");
                return false;
            }
            List<Table> changed = new ArrayList<>();
            Map<Table, Long> rowByRow = new LinkedHashMap<>();
            long changedBytes = 0;
            boolean catalogWritten = !java.util.Arrays.equals(mark.relations().get(CATALOG_ROWS),
                    now.relations().get(CATALOG_ROWS));
            Set<Long> oids = new TreeSet<>(now.relations().keySet());
            oids.addAll(mark.relations().keySet());
            oids.remove(CATALOG_ROWS);
            for (long oid : oids) {
                long[] was = mark.relations().get(oid);
                long[] is = now.relations().get(oid);
                if (was != null && is != null && was[0] == is[0] && was[1] == is[1]) {
                    continue;
                }
                Table table = baseline.tables().get(oid);
                if (table == null || table.kind() != 'r') {
                    LOG.debug("relation {} changed and cannot be copied back: full clone", oid);
                    return false;
                }
                if (rowByRow(table, was, is, now.nextXid())) {
                    rowByRow.put(table, is[LIVE] - was[LIVE]);
                    continue;
                }
                changed.add(table);
                changedBytes += Math.max(table.bytes(), now.sizes().getOrDefault(oid, 0L));
            }
            if (changedBytes > now.databaseSize() / 4) {
                LOG.debug("changed tables hold {} of {} bytes: full clone", changedBytes, now.databaseSize());
                return false;
            }
            // Catalog rows written (DDL, a truncation, a temporary table): tell DDL apart by the hash.
            if (catalogWritten && !catalog(c).equals(baseline.catalog())) {
                LOG.debug("the schema changed since the snapshot: full clone");
                return false;
            }
            List<Sequence> moved = moved(c, baseline.sequences());
            long checked = System.nanoTime();
            if (changed.isEmpty() && rowByRow.isEmpty() && moved.isEmpty()) {
                return true;
            }
            copyBack(c, reference(name, reference), changed, rowByRow, moved, mark.nextXid());
            long copied = System.nanoTime();
            Reading after = flushed(c);
            mark = new Mark(name, now.server(), after.relations(), after.nextXid());
            rowByRowTables += rowByRow.size();
            LOG.debug("Reset {} table(s) whole, {} row by row and {} sequence(s) of {} to snapshot '{}' in {} ms "
                    + "(connect {}, counters {}, schema and sequences {}, copy {}, mark {})", changed.size(),
                    rowByRow.size(), moved.size(),
                    db.database(), name, ms(System.nanoTime() - started), ms(connected - started), ms(counted - connected),
                    ms(checked - counted), ms(copied - checked), ms(System.nanoTime() - copied));
            return true;
        } catch (NotExact e) {
            LOG.debug("row-by-row reset to '{}' is not exact ({}): full clone", name, e.getMessage());
            mark = null;
            return false;
        } catch (SQLException e) {
            LOG.debug("table-level reset to '{}' failed ({}): full clone", name, e.getMessage());
            mark = null;
            return false;
        }
    }

    /**
     * Whether a changed table can be put back row by row: it has a primary key, the same file,
     * no deletes and no vacuum or analyze since the mark (each would make the counters or the
     * rows' transaction ids say less), not too many rows written, and the transaction id counter
     * has not wrapped its 32 bits since the mark.
     */
    private boolean rowByRow(Table table, long[] was, long[] is, long nextXid) {
        return table.kind() == 'r' && !table.key().isEmpty() && was != null && is != null
                && was[FILE] == is[FILE] && was[DELETES] == is[DELETES] && was[MAINTENANCE] == is[MAINTENANCE]
                && is[WRITES] - was[WRITES] <= MAX_ROWS_PUT_BACK
                && (mark.nextXid() >>> 32) == (nextXid >>> 32);
    }

    /** How many tables were put back row by row since the store was made (for tests and logs). */
    synchronized long rowByRowTables() {
        return rowByRowTables;
    }

    /** A row-by-row reset that the statistics do not prove exact: the transaction is rolled back. */
    private static final class NotExact extends SQLException {
        private static final long serialVersionUID = 1L;

        NotExact(String message) {
            super(message);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private void copyBack(Connection c, Connection ref, List<Table> changed, Map<Table, Long> rowByRow,
                          List<Sequence> moved, long boundary) throws SQLException {
        Set<Long> changedOids = new TreeSet<>();
        changed.forEach(t -> changedOids.add(t.oid()));
        Set<Long> referencedFromOutside = referencedFromOutside(c, changedOids);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // Neither foreign keys nor user triggers fire; the reset need not wait for the WAL flush.
            s.execute("SET LOCAL session_replication_role = replica; SET LOCAL synchronous_commit = off");
            List<String> truncate = new ArrayList<>();
            for (Table t : changed) {
                if (referencedFromOutside.contains(t.oid()) || t.bytes() < DELETE_BELOW_BYTES) {
                    s.execute("DELETE FROM ONLY " + t.qualified());
                } else {
                    truncate.add("ONLY " + t.qualified());
                }
            }
            if (!truncate.isEmpty()) {
                s.execute("TRUNCATE " + String.join(", ", truncate));
            }
            CopyManager into = c.unwrap(PGConnection.class).getCopyAPI();
            CopyManager from = ref.unwrap(PGConnection.class).getCopyAPI();
            for (Table t : changed) {
                copy(from, into, t);
            }
            if (!rowByRow.isEmpty()) {
                long age = ageOf(s, boundary & 0xFFFF_FFFFL);
                for (Map.Entry<Table, Long> t : rowByRow.entrySet()) {
                    putBackRows(s, from, into, t.getKey(), age, t.getValue());
                }
            }
            if (!moved.isEmpty()) {
                StringBuilder setval = new StringBuilder("SELECT");
                for (Sequence q : moved) {
                    setval.append(setval.length() > 6 ? ", " : " ").append("pg_catalog.setval(").append(q.oid())
                            .append("::oid::regclass, ").append(q.lastValue()).append(", ").append(q.called()).append(')');
                }
                s.executeQuery(setval.toString()).close();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void copy(CopyManager from, CopyManager into, Table t) throws SQLException {
        if (t.columns().isEmpty()) {
            return; // a table without columns can hold rows, but COPY cannot name them: refused earlier
        }
        String columns = String.join(", ", t.columns());
        copy(from, "COPY " + t.qualified() + " (" + columns + ") TO STDOUT (FORMAT binary)",
                into, "COPY " + t.qualified() + " (" + columns + ") FROM STDIN (FORMAT binary)");
    }

    /**
     * The age of the boundary transaction id in this transaction: a row version was written
     * since the mark when its {@code xmin} is at most this old. {@code age()} counts from one
     * transaction id that stays the same within a transaction, so both ages compare; it is plain
     * arithmetic per row (no text), and frozen or special ids are as old as can be.
     */
    private static long ageOf(Statement s, long boundary) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT pg_catalog.age('" + boundary + "'::xid)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Put back the rows of one table written since the boundary: delete every row version whose
     * {@code xmin} is at or after it, returning the keys, then copy the reference's rows with
     * those keys. Exact when every key the baseline had is among them or untouched, which holds
     * when the rows deleted minus the rows put back are the committed inserts.
     *
     * @param age the boundary's age in this transaction ({@link #ageOf})
     * @param inserted the table's live rows now minus at the mark: its committed inserts, as it had no deletes
     * @throws NotExact when the counts disagree (a key changed by an {@code UPDATE})
     */
    private static void putBackRows(Statement s, CopyManager from, CopyManager into, Table t, long age,
                                    long inserted) throws SQLException {
        List<List<String>> keys = new ArrayList<>();
        StringBuilder returning = new StringBuilder();
        for (String column : t.key()) {
            keys.add(new ArrayList<>());
            returning.append(returning.length() == 0 ? "" : ", ").append(column).append("::text");
        }
        long deleted = 0;
        try (ResultSet rs = s.executeQuery("DELETE FROM ONLY " + t.qualified() + " WHERE pg_catalog.age(xmin) <= "
                + age + " RETURNING " + returning)) {
            while (rs.next()) {
                deleted++;
                for (int i = 0; i < keys.size(); i++) {
                    keys.get(i).add(rs.getString(i + 1));
                }
            }
        }
        long restored = 0;
        if (deleted > 0) {
            String columns = String.join(", ", t.columns());
            restored = copy(from, "COPY (SELECT " + columns + " FROM ONLY " + t.qualified() + " WHERE "
                            + keyIn(t, keys) + ") TO STDOUT (FORMAT binary)",
                    into, "COPY " + t.qualified() + " (" + columns + ") FROM STDIN (FORMAT binary)");
        }
        if (deleted - restored != inserted) {
            throw new NotExact(t.qualified() + ": " + deleted + " row(s) written since the last reset, " + restored
                    + " of them the baseline's, but " + inserted + " committed insert(s)");
        }
    }

    /** {@code key IN (the given values)}, the values sent as text array literals cast to the key's types. */
    private static String keyIn(Table t, List<List<String>> keys) {
        if (keys.size() == 1) {
            return t.key().get(0) + " = ANY(" + arrayLiteral(keys.get(0)) + "::" + t.keyTypes().get(0) + "[])";
        }
        StringBuilder unnest = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            unnest.append(i == 0 ? "" : ", ").append(arrayLiteral(keys.get(i))).append("::").append(t.keyTypes().get(i))
                    .append("[]");
        }
        return "(" + String.join(", ", t.key()) + ") IN (SELECT * FROM unnest(" + unnest + "))";
    }

    /** A text array literal as an SQL string literal (the reference session has standard_conforming_strings on). */
    static String arrayLiteral(List<String> values) {
        StringBuilder array = new StringBuilder("{");
        for (String v : values) {
            array.append(array.length() == 1 ? "" : ",").append('"')
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return "'" + array.append('}').toString().replace("'", "''") + "'";
    }

    /** Stream one COPY into another; return the rows written. */
    private static long copy(CopyManager from, String copyOut, CopyManager into, String copyIn) throws SQLException {
        CopyOut out = from.copyOut(copyOut);
        CopyIn in;
        try {
            in = into.copyIn(copyIn);
        } catch (SQLException e) {
            out.cancelCopy();
            throw e;
        }
        try {
            byte[] chunk;
            while ((chunk = out.readFromCopy()) != null) {
                in.writeToCopy(chunk, 0, chunk.length);
            }
            return in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                in.cancelCopy();
            }
            if (out.isActive()) {
                out.cancelCopy();
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ reading the server

    private static Reading read(Connection c) throws SQLException {
        String server;
        long size;
        int version;
        long nextXid;
        Map<Long, long[]> relations = new HashMap<>();
        Map<Long, Long> sizes = new HashMap<>();
        // One round trip: each statement runs in a transaction of its own and sees fresh counters.
        try (Statement s = c.createStatement()) {
            s.execute(SERVER + ";\n" + RELATIONS);
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                server = rs.getString(1) + "/" + rs.getLong(2) + "/" + rs.getString(3);
                size = rs.getLong(4);
                version = rs.getInt(5);
                nextXid = rs.getLong(6);
            }
            if (!s.getMoreResults()) {
                throw new SQLException("expected the relation counters as a second result");
            }
            try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                    relations.put(rs.getLong(1), new long[] {rs.getLong(3), rs.getLong(6), rs.getLong(8), rs.getLong(9),
                        rs.getLong(10)});
                    sizes.put(rs.getLong(1), rs.getLong(7));
                }
            }
        }
        return new Reading(server, size, version, relations, sizes, nextXid);
    }

    /** A reading with our own copy's counters flushed first: the flush happens before the server answers. */
    private static Reading flushed(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
        }
        return read(c);
    }

    private static Map<Long, Table> tables(Connection c, Map<Long, Long> sizes) throws SQLException {
        Map<Long, Table> tables = new HashMap<>();
        String sql = """
                SELECT c.oid, c.relkind, n.nspname, c.relname,
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
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                long oid = rs.getLong(1);
                char kind = rs.getString(2).charAt(0);
                List<String> columns = new ArrayList<>();
                for (String column : (String[]) rs.getArray(5).getArray()) {
                    columns.add(SqlIdentifiers.quote(column));
                }
                List<String> key = new ArrayList<>();
                for (String column : (String[]) rs.getArray(6).getArray()) {
                    key.add(SqlIdentifiers.quote(column));
                }
                List<String> keyTypes = List.of((String[]) rs.getArray(7).getArray());
                // A table without columns cannot be copied back: treat it as not restorable.
                char restorable = columns.isEmpty() ? 'x' : kind;
                tables.put(oid, new Table(oid, restorable,
                        SqlIdentifiers.quote(rs.getString(3)) + "." + SqlIdentifiers.quote(rs.getString(4)),
                        columns, sizes.getOrDefault(oid, 0L), key, keyTypes));
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

    private static Map<Long, Sequence> sequences(Connection c) throws SQLException {
        Map<Long, String> names = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SEQUENCES)) {
            while (rs.next()) {
                names.put(rs.getLong(1), SqlIdentifiers.quote(rs.getString(2)) + "." + SqlIdentifiers.quote(rs.getString(3)));
            }
        }
        Map<Long, Sequence> sequences = new LinkedHashMap<>();
        for (Map.Entry<Long, long[]> state : sequenceStates(c, names).entrySet()) {
            sequences.put(state.getKey(), new Sequence(state.getKey(), names.get(state.getKey()),
                    state.getValue()[0], state.getValue()[1] != 0));
        }
        return sequences;
    }

    private static Map<Long, long[]> sequenceStates(Connection c, Map<Long, String> names) throws SQLException {
        Map<Long, long[]> states = new HashMap<>();
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
                    states.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getBoolean(3) ? 1 : 0});
                }
            }
        }
        return states;
    }

    private static List<Sequence> moved(Connection c, Map<Long, Sequence> baseline) throws SQLException {
        Map<Long, String> names = new LinkedHashMap<>();
        baseline.values().forEach(q -> names.put(q.oid(), q.qualified()));
        Map<Long, long[]> now = sequenceStates(c, names);
        List<Sequence> moved = new ArrayList<>();
        for (Sequence q : baseline.values()) {
            long[] is = now.get(q.oid());
            if (is == null || is[0] != q.lastValue() || (is[1] != 0) != q.called()) {
                moved.add(q);
            }
        }
        return moved;
    }

    private static Set<Long> referencedFromOutside(Connection c, Set<Long> changed) throws SQLException {
        Set<Long> referenced = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT conrelid, confrelid FROM pg_catalog.pg_constraint WHERE contype = 'f'")) {
            while (rs.next()) {
                long from = rs.getLong(1);
                long to = rs.getLong(2);
                if (changed.contains(to) && !changed.contains(from)) {
                    referenced.add(to);
                }
            }
        }
        return referenced;
    }

    // ------------------------------------------------------------------ reference connections

    private Connection reference(String name, String database) throws SQLException {
        Connection c = references.get(name);
        if (c != null && c.isValid(2)) {
            return c;
        }
        closeQuietly(c);
        c = db.connect(database);
        try (Statement s = c.createStatement()) {
            s.execute("SET default_transaction_read_only = on; SET standard_conforming_strings = on");
        }
        references.put(name, c);
        return c;
    }

    /** Close the connection to a reference database, so that it can be dropped or renamed. */
    synchronized void release(String name) {
        closeQuietly(references.remove(name));
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a reference connection failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() {
        references.values().forEach(TableReset::closeQuietly);
        references.clear();
        baselines.clear();
        mark = null;
    }

    @Override
    public String toString() {
        return "TableReset[" + Objects.toString(mark == null ? null : mark.snapshot()) + "]";
    }
}
