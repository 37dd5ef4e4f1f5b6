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
    /** The number of samples taken so far: a lock seen in two consecutive samples was held between them. */
    long samples;
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
        /** Per mode, the stretches it was seen held: {first seen, held until, last sample}. */
        final Map<LockMode, List<long[]>> spans = new java.util.EnumMap<>(LockMode.class);

        Watch(Rel rel) {
            this.rel = rel;
        }

        /** The mode was seen granted in sample {@code sample} at {@code now}, counting as held until {@code until}. */
        void seen(LockMode held, long sample, long now, long until) {
            List<long[]> list = spans.computeIfAbsent(held, k -> new ArrayList<>());
            long[] last = list.isEmpty() ? null : list.get(list.size() - 1);
            if (last != null && last[2] >= sample - 1) {
                last[1] = Math.max(last[1], until);
                last[2] = sample;
            } else {
                list.add(new long[] {now, until, sample});
            }
        }
    }

    /** The stretches in which probes of one kind failed. */
    static final class Blocked {
        long since = -1;
        long longest;
        /** The closed stretches: {from, to}. */
        final List<long[]> spans = new ArrayList<>();

        void observe(boolean blocked, long now) {
            if (blocked && since < 0) {
                since = now;
            } else if (!blocked && since >= 0) {
                longest = Math.max(longest, now - since);
                spans.add(new long[] {since, now});
                since = -1;
            }
        }

        /** The stretches, the open one ending at {@code end}. */
        List<long[]> spans(long end) {
            List<long[]> all = new ArrayList<>(spans);
            if (since >= 0) {
                all.add(new long[] {since, end});
            }
            return all;
        }

        Duration longest(long end) {
            long open = since >= 0 ? end - since : 0;
            return Duration.ofNanos(Math.max(longest, open));
        }
    }
}
