package dev.stateful.migrate;

import java.time.Duration;
import java.util.Objects;

/**
 * Describe one thing a migration did that the live application would have felt: what kind, on
 * which table, with the evidence Postgres gave and the safe way to do the same.
 *
 * <pre>{@code
 * Hazard h = db.migrateTo("9").hazards().get(0);
 * h.kind();     // TABLE_REWRITE
 * h.table();    // public.orders
 * h.lock();     // ACCESS_EXCLUSIVE, held for h.held()
 * h.advice();   // "add the column without a default (or with a constant one), backfill it in batches, then SET DEFAULT"
 * }</pre>
 *
 * @param migration the migration that did it
 * @param kind what it did
 * @param table the table, {@code schema.table}
 * @param rows the table's rows before the migration (Postgres' estimate, or a count when it had none)
 * @param lock the strongest lock the migration took on the table
 * @param held how long that lock was held
 * @param readsBlocked the longest time a read of the table was blocked, measured from another session
 * @param writesBlocked the longest time a write of the table was blocked, measured from another session
 * @param evidence what was observed: server messages, the statement
 * @param advice the safe alternative, in one line
 */
public record Hazard(Migration migration, HazardKind kind, String table, long rows, LockMode lock, Duration held,
                     Duration readsBlocked, Duration writesBlocked, String evidence, String advice) {
    /**
     * Create a hazard.
     *
     * @param migration the migration
     * @param kind the kind
     * @param table the table
     * @param rows its rows
     * @param lock the strongest lock
     * @param held how long it was held
     * @param readsBlocked how long reads were blocked
     * @param writesBlocked how long writes were blocked
     * @param evidence what was observed
     * @param advice the safe alternative
     */
    public Hazard {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(table, "table");
        held = held == null ? Duration.ZERO : held;
        readsBlocked = readsBlocked == null ? Duration.ZERO : readsBlocked;
        writesBlocked = writesBlocked == null ? Duration.ZERO : writesBlocked;
        evidence = evidence == null ? "" : evidence;
        advice = advice == null ? "" : advice;
    }

    /**
     * Describe the hazard in one line, as failure messages and reports list it: migration,
     * kind, table, rows, lock and time held, blocked reads and writes, evidence and advice.
     *
     * @return for example {@code V2 add flag (V2__add_flag.sql): TABLE_REWRITE on public.orders
     *     (500000 rows): ACCESS EXCLUSIVE held 7416 ms, reads blocked 7426 ms, writes blocked
     *     7426 ms; rewriting table "orders". Fix: ...}
     */
    @Override
    public String toString() {
        return migration + ": " + kind + " on " + table + " (" + (rows < 0 ? "unknown number of" : rows) + " rows): "
                + (lock == null ? "no table lock seen" : lock.sqlName() + " held " + held.toMillis() + " ms")
                + ", reads blocked " + readsBlocked.toMillis() + " ms, writes blocked " + writesBlocked.toMillis()
                + " ms" + (evidence.isEmpty() ? "" : "; " + evidence) + ". Fix: " + advice + ".";
    }
}
