package dev.stateful.migrate;

import dev.stateful.migrate.CatalogSnapshot.Rel;
import dev.stateful.migrate.ServerMessages.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link SafetyObserver} saw of the running migration, filled while it runs: its tables'
 * locks and blocked probes, its statements and the server's messages about them.
 */
final class ObservedStep {
    final Migration migration;
    final Map<Long, Watch> watches = new LinkedHashMap<>();
    final List<String> statements = new ArrayList<>();
    /** The server's messages that name an action, in order. */
    final List<Seen> events = new ArrayList<>();
    CatalogSnapshot before;
    boolean transactional = true;
    volatile boolean failed;
    int pid;
    long started;
    volatile long ended;
    String incomplete;

    ObservedStep(Migration migration) {
        this.migration = migration;
    }

    synchronized void incomplete(String why) {
        if (incomplete == null) {
            incomplete = why;
            SafetyObserver.LOG.warn("Observation of migration {} is incomplete: {}", migration, why);
        }
    }

    /** A server message that names an action, with the statement it came after. */
    record Seen(Event event, String sql, String message) {
    }

    /** Return the server's messages, in order. */
    synchronized List<String> messages() {
        return events.stream().map(Seen::message).toList();
    }

    /** One table the migration locked. */
    static final class Watch {
        final Rel rel;
        LockMode mode;
        long firstGranted = -1;
        /** Until when the lock counts as held: the last sample that saw it plus the interval to the next one. */
        long grantedUntil = -1;
        final Blocked reads = new Blocked();
        final Blocked writes = new Blocked();

        Watch(Rel rel) {
            this.rel = rel;
        }
    }

    /** The stretches in which probes of one kind failed. */
    static final class Blocked {
        long since = -1;
        long longest;

        void observe(boolean blocked, long now) {
            if (blocked && since < 0) {
                since = now;
            } else if (!blocked && since >= 0) {
                longest = Math.max(longest, now - since);
                since = -1;
            }
        }

        Duration longest(long end) {
            long open = since >= 0 ? end - since : 0;
            return Duration.ofNanos(Math.max(longest, open));
        }
    }
}
