package dev.stateful.internal.snapshot;

import dev.stateful.internal.Server;
import dev.stateful.internal.snapshot.ChangeDetection.Baseline;
import dev.stateful.internal.snapshot.ChangeDetection.Plan;
import dev.stateful.internal.snapshot.ChangeDetection.Reading;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Put a database back to a snapshot table by table: only the tables a test changed, and the
 * sequences it moved, are copied back from a reference copy of the snapshot.
 *
 * <p>What changed since the last reset is read from the server, never guessed:
 * <ul>
 *   <li>rows: the cumulative per-table counters of the statistics system
 *       ({@code pg_stat_get_tuples_inserted/updated/deleted}), read after every other session of the
 *       database has ended, so that each one has flushed its counters: a backend flushes them as
 *       it exits, before it leaves {@code pg_stat_activity}, so the barrier is
 *       {@code pg_terminate_backend} of every other session, repeated with short pauses until
 *       {@code pg_stat_activity} shows none attached (Postgres' own wait polls every 100 ms, and
 *       a session a test just closed usually takes a millisecond or two to exit);</li>
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
 * rows with those keys copied back. When a table of 1 MB or more was written, the keys come
 * from a temporary logical slot of the reset's session instead ({@link LogicalChanges}, decision
 * 0016): no scan, and deletes and key changes are put back by key too. The cost follows the rows a test wrote, plus one scan of the
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
 *
 * <p>The reset runs on a session of its own that stays open between resets (application name
 * {@value #APPLICATION_NAME}; opening one costs a SCRAM login); it is opened again when a
 * snapshot, a clone or a restart ended it.
 *
 * <p>This class keeps the baselines, the mark and the reference connections; {@link ChangeDetection}
 * tells what changed and {@link CopyBack} copies the rows back.
 */
final class TableReset implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableReset.class);
    /** The application name of the reset's own session. */
    static final String APPLICATION_NAME = "stateful-reset";
    /** Ask every other session of the database to end; how many there were (still attached). */
    private static final String END_OTHER_SESSIONS = "SELECT count(pg_catalog.pg_terminate_backend(pid)) "
            + "FROM pg_catalog.pg_stat_activity WHERE datname = current_database() AND pid <> pg_catalog.pg_backend_pid()";
    /** How long other sessions may take to end before the reset gives up (a full clone then). */
    private static final long BARRIER_DEADLINE_NANOS = 10_000_000_000L;
    /** Above this many rows written since the mark, changes are not decoded (their text would be large). */
    private static final long MAX_DECODED_WRITES = 50_000;
    /** Below this size a table written is scanned, not looked up by decoded keys: a scan of it costs less than decoding. */
    private static final long DECODE_ABOVE_BYTES = 1L << 20;
    /** The slot is moved on at least every this many resets. */
    private static final int ADVANCE_EVERY = 16;
    /** A reset that put back more rows than this moves the slot past its writes at once. */
    private static final long ADVANCE_ABOVE_WRITES = 1_000;

    private final Server db;
    private final Map<String, Baseline> baselines = new HashMap<>();
    private final Map<String, Connection> references = new HashMap<>();
    private Mark mark;
    private long rowByRowTables;
    private ResetSteps lastSteps = ResetSteps.NONE;
    private Connection own;
    private final LogicalChanges decoding = new LogicalChanges();
    private boolean decodingOn = true;
    private int resetsSinceAdvance;

    TableReset(Server db) {
        this.db = db;
    }

    /**
     * Where the counters stood after the last take or reset, of which server and database, and
     * the first transaction id that can have written a row since ({@code nextXid}, 64 bits).
     */
    private record Mark(String snapshot, String server, Map<Long, RelationCounters> relations, long nextXid) {
        static Mark of(String snapshot, Reading reading) {
            return new Mark(snapshot, reading.server(), reading.relations(), reading.nextXid());
        }
    }

    // ------------------------------------------------------------------ baseline and marks

    /**
     * Record the baseline of a snapshot just taken: no session is attached to the database
     * (taking the snapshot waited for all to end), so its counters are flushed.
     */
    synchronized void baseline(String name) {
        baseline(name, null);
    }

    /**
     * Record the baseline of a snapshot just taken, as {@link #baseline(String)}; with
     * {@code known}, the baseline read from an exact copy of the database (the template it was
     * copied from, nothing written since) is taken instead of being read again: only the mark
     * (the counters and the next transaction id) is read.
     *
     * @return the baseline recorded, or {@code null} when the reset cannot go table by table
     */
    synchronized ResetBaseline baseline(String name, ResetBaseline known) {
        forget(name);
        try {
            long started = System.nanoTime();
            Connection c = own();
            long connected = System.nanoTime();
            Baseline baseline;
            if (known != null) {
                baseline = known.baseline;
            } else {
                Reading now = ChangeDetection.read(c);
                if (!now.supported()) {
                    mark = null;
                    return null;
                }
                baseline = ChangeDetection.baseline(c, now);
            }
            long read = System.nanoTime();
            baselines.put(name, baseline);
            // The slot exists before the mark is read: every change after the mark is decoded.
            follow(c, baseline);
            long followed = System.nanoTime();
            mark = Mark.of(name, ChangeDetection.read(c));
            LOG.debug("Baseline '{}' of {}: session {} ms, baseline {} ({} ms), slot {} ms, mark {} ms", name,
                    db.database(), ms(connected - started), known != null ? "handed over" : "read", ms(read - connected),
                    ms(followed - read), ms(System.nanoTime() - followed));
            return known != null ? known : new ResetBaseline(baseline);
        } catch (SQLException e) {
            LOG.debug("no table-level reset for snapshot '{}': {}", name, e.getMessage());
            baselines.remove(name);
            mark = null;
            closeOwn();
            return null;
        }
    }

    /** Record the counters after the database was cloned whole from a snapshot. */
    synchronized void clonedFrom(String name) {
        mark = null;
        if (!baselines.containsKey(name)) {
            return;
        }
        // The clone replaced the database: the session kept open was ended with the old one.
        closeOwn();
        try {
            Connection c = own();
            follow(c, baselines.get(name));
            mark = Mark.of(name, ChangeDetection.read(c));
        } catch (SQLException e) {
            LOG.debug("no table-level reset after cloning '{}': {}", name, e.getMessage());
            closeOwn();
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
     * Put back what changed since the last mark, from the reference database, after ending every
     * other session of the database.
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
        try {
            Connection c = own();
            long connected = System.nanoTime();
            boolean alone;
            try {
                alone = endOtherSessions(c);
            } catch (SQLException e) {
                if (!broken(c, e)) {
                    throw e;
                }
                // Ended since the last reset (a snapshot or clone ends every session): open it again.
                closeOwn();
                c = own();
                connected = System.nanoTime();
                alone = endOtherSessions(c);
            }
            if (!alone) {
                LOG.debug("new sessions of {} kept coming while ending them: full clone", db.database());
                return false;
            }
            long ended = System.nanoTime();
            long barrier = ended - connected;
            Reading now = ChangeDetection.read(c);
            long counted = System.nanoTime();
            if (!now.server().equals(mark.server())) {
                LOG.debug("server restarted, database recreated or statistics reset since the baseline: full clone");
                return false;
            }
            Map<Long, Set<List<String>>> decoded = Map.of();
            boolean decode = decoding.active() && written(mark.relations(), now.relations()) <= MAX_DECODED_WRITES
                    && bigTableWritten(baseline, mark.relations(), now.relations());
            if (decode) {
                decoding.keyColumns(baseline.decodable().keys());
                decoded = decoding.read(c).map(changes -> baseline.decodable().resolve(changes)).orElse(Map.of());
            }
            long decodedAt = System.nanoTime();
            Optional<Plan> planned = ChangeDetection.plan(c, baseline, mark.relations(), mark.nextXid(), now, decoded);
            if (planned.isEmpty()) {
                return false;
            }
            Plan plan = planned.get();
            long checked = System.nanoTime();
            if (plan.isEmpty()) {
                keepUp(c, baseline, false);
                long skipped = System.nanoTime();
                lastSteps = new ResetSteps(barrier, connected - started, counted - ended, decodedAt - counted,
                        checked - decodedAt, 0, skipped - checked, skipped - started);
                return true;
            }
            CopyBack.copyBack(c, reference(name, reference), plan, mark.nextXid(), decoding.active());
            long copied = System.nanoTime();
            keepUp(c, baseline, written(mark.relations(), now.relations()) > ADVANCE_ABOVE_WRITES
                    || plan.whole().stream().anyMatch(t -> t.bytes() >= DECODE_ABOVE_BYTES));
            mark = Mark.of(name, ChangeDetection.flushed(c));
            rowByRowTables += plan.rowByRow().size();
            long marked = System.nanoTime();
            lastSteps = new ResetSteps(barrier, connected - started, counted - ended, decodedAt - counted,
                    checked - decodedAt, copied - checked, marked - copied, marked - started);
            LOG.debug("Reset {} table(s) whole, {} row by row ({} by decoded keys) and {} sequence(s) of {} to "
                            + "snapshot '{}': {}", plan.whole().size(), plan.rowByRow().size(), plan.decodedKeys().size(),
                    plan.moved().size(), db.database(), name, lastSteps.describe());
            return true;
        } catch (CopyBack.NotExact e) {
            LOG.debug("row-by-row reset to '{}' is not exact ({}): full clone", name, e.getMessage());
            mark = null;
            return false;
        } catch (SQLException e) {
            LOG.debug("table-level reset to '{}' failed ({}): full clone", name, e.getMessage());
            mark = null;
            closeOwn();
            return false;
        }
    }

    /**
     * End every other session of the database, each waited for until it exited (and so flushed
     * its statistics), until none is attached.
     *
     * @return {@code false} when new sessions kept coming
     */
    private static boolean endOtherSessions(Connection c) throws SQLException {
        long deadline = System.nanoTime() + BARRIER_DEADLINE_NANOS;
        long pauseMicros = 500;
        try (Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery(END_OTHER_SESSIONS)) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return true;
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(pauseMicros / 1000, (int) (pauseMicros % 1000) * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                pauseMicros = Math.min(pauseMicros * 2, 20_000);
            }
        }
    }

    /**
     * Whether a table with a primary key of at least {@value #DECODE_ABOVE_BYTES} bytes was written
     * since the mark: only then does reading the slot save a scan worth its cost.
     */
    private static boolean bigTableWritten(Baseline baseline, Map<Long, RelationCounters> marked,
                                           Map<Long, RelationCounters> now) {
        for (Map.Entry<Long, RelationCounters> e : now.entrySet()) {
            RelationCounters was = marked.get(e.getKey());
            CopyableTable table = baseline.tables().get(e.getKey());
            if (was != null && !was.sameRowsAs(e.getValue()) && table != null && !table.key().isEmpty()
                    && table.bytes() >= DECODE_ABOVE_BYTES) {
                return true;
            }
        }
        return false;
    }

    /**
     * After a reset: move the slot past the reset's own writes when they were many (decoding
     * them again at the next read would cost more than the advance), else every few resets (the
     * slot holds WAL back); create it when the session has none. A slot left behind gives a
     * superset of the keys written at its next read: still exact, as the rows put back from the
     * reference are the baseline's, and it saves a pass over the WAL per reset.
     */
    private void keepUp(Connection c, Baseline baseline, boolean manyWrites) throws SQLException {
        if (!decoding.active()) {
            follow(c, baseline);
            resetsSinceAdvance = 0;
        } else if (manyWrites || ++resetsSinceAdvance >= ADVANCE_EVERY) {
            decoding.skipToNow(c);
            resetsSinceAdvance = 0;
        }
    }

    /** Rows written in all since the mark, by the counters: above a limit the changes are not decoded. */
    private static long written(Map<Long, RelationCounters> marked, Map<Long, RelationCounters> now) {
        long written = 0;
        for (Map.Entry<Long, RelationCounters> e : now.entrySet()) {
            RelationCounters was = marked.get(e.getKey());
            written += e.getValue().writes() - (was == null ? 0 : was.writes());
        }
        return written;
    }

    /** Follow the database's changes with a logical slot, when decoding is on and the baseline knows its tables. */
    private void follow(Connection c, Baseline baseline) {
        if (decodingOn && baseline != null) {
            decoding.start(c);
        }
    }

    /**
     * Read the keys a test wrote from a logical slot (the default) or not: then every table
     * written is scanned for rows written since the mark, as before Stateful used decoding.
     * Takes effect at the next baseline or full clone. For benchmarks and tests.
     */
    synchronized void decodeChanges(boolean on) {
        decodingOn = on;
        if (!on && own != null) {
            decoding.drop(own);
        }
    }

    /** Whether the reset's session holds a logical slot now (for tests). */
    synchronized boolean decoding() {
        return decoding.active();
    }

    /** The reset's own session, opened when there is none. */
    private Connection own() throws SQLException {
        if (own == null || own.isClosed()) {
            decoding.forget();
            Connection c = db.connect(db.database());
            try (Statement s = c.createStatement()) {
                s.execute("SET application_name = '" + APPLICATION_NAME + "'");
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
            own = c;
        }
        return own;
    }

    /** Whether a failure says the session is gone (ended by the server, or the connection broke). */
    private static boolean broken(Connection c, SQLException e) throws SQLException {
        String state = e.getSQLState();
        return c.isClosed() || (state != null && (state.startsWith("08") || state.startsWith("57P")));
    }

    /** Close the reset's own session, so that the database can be dropped, renamed or copied. */
    synchronized void closeOwn() {
        decoding.drop(own);
        closeQuietly(own);
        own = null;
    }

    /** Where the time of the last table-level reset went. */
    synchronized ResetSteps lastSteps() {
        return lastSteps;
    }

    /** How many tables were put back row by row since the store was made (for tests and logs). */
    synchronized long rowByRowTables() {
        return rowByRowTables;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
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
        closeOwn();
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
