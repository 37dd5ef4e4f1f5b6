package dev.stateful.migrate;

import java.time.Duration;
import java.util.Objects;

/**
 * One stretch of a migration's timeline on one table, measured from the migration's start: a
 * lock it held (in one mode), or a stretch in which a read or a write of the table from another
 * session would have waited. {@code migrations.html} draws these as bars, one lane per table.
 *
 * <pre>{@code
 * for (TimelineSpan span : db.migrateTo("9").steps().get(0).timeline()) {
 *     span.table();   // public.orders
 *     span.kind();    // LOCK_HELD, READS_BLOCKED or WRITES_BLOCKED
 *     span.lock();    // ACCESS_EXCLUSIVE for LOCK_HELD, null otherwise
 *     span.start();   // PT0.02S after the migration started
 *     span.end();     // PT1.9S
 * }
 * }</pre>
 *
 * <p>Times have the resolution of the observer's sampling (every 20 ms at first, then about
 * 2% of the time the migration has run so far, at most every 200 ms).
 *
 * @param table the table, {@code schema.table}
 * @param kind what the stretch is
 * @param lock the mode held, for {@link Kind#LOCK_HELD}; {@code null} otherwise
 * @param start when it began, from the migration's start
 * @param end when it ended, from the migration's start; not before {@code start}
 */
public record TimelineSpan(String table, Kind kind, LockMode lock, Duration start, Duration end) {
    /** What a stretch of the timeline is. */
    public enum Kind {
        /** The migration held a lock on the table, in {@link TimelineSpan#lock()}. */
        LOCK_HELD,
        /** A read ({@code SELECT}) of the table would have waited. */
        READS_BLOCKED,
        /** A write ({@code INSERT}, {@code UPDATE}, {@code DELETE}) of the table would have waited. */
        WRITES_BLOCKED
    }

    /**
     * Create a span.
     *
     * @param table the table
     * @param kind the kind
     * @param lock the mode, for a held lock
     * @param start its start
     * @param end its end, moved to {@code start} when earlier
     */
    public TimelineSpan {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (kind == Kind.LOCK_HELD) {
            Objects.requireNonNull(lock, "lock");
        }
        end = end.compareTo(start) < 0 ? start : end;
    }

    /**
     * Return how long the stretch lasted.
     *
     * @return {@code end - start}
     */
    public Duration duration() {
        return end.minus(start);
    }
}
