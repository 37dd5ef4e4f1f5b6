package dev.stateful.internal.snapshot;

import dev.stateful.internal.Server;
import dev.stateful.internal.snapshot.ChangeDetection.Baseline;
import dev.stateful.internal.snapshot.ChangeDetection.Plan;
import dev.stateful.internal.snapshot.ChangeDetection.Reading;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
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
 *
 * <p>This class keeps the baselines, the mark and the reference connections; {@link ChangeDetection}
 * tells what changed and {@link CopyBack} copies the rows back.
 */
final class TableReset implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableReset.class);

    private final Server db;
    private final Map<String, Baseline> baselines = new HashMap<>();
    private final Map<String, Connection> references = new HashMap<>();
    private Mark mark;
    private long rowByRowTables;

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
        forget(name);
        try (Connection c = db.connect(db.database())) {
            Reading now = ChangeDetection.read(c);
            if (!now.supported()) {
                mark = null;
                return;
            }
            baselines.put(name, ChangeDetection.baseline(c, now));
            mark = Mark.of(name, now);
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
            mark = Mark.of(name, ChangeDetection.read(c));
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
            Reading now = ChangeDetection.read(c);
            long counted = System.nanoTime();
            if (!now.server().equals(mark.server())) {
                LOG.debug("server restarted, database recreated or statistics reset since the baseline: full clone");
                return false;
            }
            Optional<Plan> planned = ChangeDetection.plan(c, baseline, mark.relations(), mark.nextXid(), now);
            if (planned.isEmpty()) {
                return false;
            }
            Plan plan = planned.get();
            long checked = System.nanoTime();
            if (plan.isEmpty()) {
                return true;
            }
            CopyBack.copyBack(c, reference(name, reference), plan, mark.nextXid());
            long copied = System.nanoTime();
            mark = Mark.of(name, ChangeDetection.flushed(c));
            rowByRowTables += plan.rowByRow().size();
            LOG.debug("Reset {} table(s) whole, {} row by row and {} sequence(s) of {} to snapshot '{}' in {} ms "
                    + "(connect {}, counters {}, schema and sequences {}, copy {}, mark {})", plan.whole().size(),
                    plan.rowByRow().size(), plan.moved().size(),
                    db.database(), name, ms(System.nanoTime() - started), ms(connected - started), ms(counted - connected),
                    ms(checked - counted), ms(copied - checked), ms(System.nanoTime() - copied));
            return true;
        } catch (CopyBack.NotExact e) {
            LOG.debug("row-by-row reset to '{}' is not exact ({}): full clone", name, e.getMessage());
            mark = null;
            return false;
        } catch (SQLException e) {
            LOG.debug("table-level reset to '{}' failed ({}): full clone", name, e.getMessage());
            mark = null;
            return false;
        }
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
