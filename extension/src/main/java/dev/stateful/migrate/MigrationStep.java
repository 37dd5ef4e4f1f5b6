package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tell what one applied migration did to the database while it ran, as observed from another
 * session: the table locks it took and how long it held them, the tables it rewrote, the
 * indexes it built, how long a read and a write of each table would have waited, and the
 * hazards found in that.
 *
 * <pre>{@code
 * MigrationStep s = db.migrateTo("9").steps().get(0);
 * s.locks();                          // {public.orders=SHARE}
 * s.readsBlocked("public.orders");    // PT0S: SHARE lets reads through
 * s.writesBlocked("public.orders");   // PT1.9S
 * }</pre>
 *
 * <p>Table names are {@code schema.table}, quoted where Postgres would quote them
 * ({@code public."Orders"}); a name without a schema means {@code public}. Only tables that
 * existed before the migration are listed: a table the migration created was invisible to
 * the application until the migration committed.
 */
public final class MigrationStep {
    private final Migration migration;
    private final Duration duration;
    private final boolean transactional;
    private final boolean failed;
    private final Map<String, LockMode> locks;
    private final Map<String, Duration> held;
    private final Map<String, Duration> readsBlocked;
    private final Map<String, Duration> writesBlocked;
    private final Set<String> rewrittenTables;
    private final Set<String> indexesBuilt;
    private final List<String> serverMessages;
    private final List<Hazard> hazards;
    private final String incomplete;
    private final List<TimelineSpan> timeline;

    MigrationStep(Migration migration, Duration duration, boolean transactional, boolean failed,
                  Map<String, LockMode> locks, Map<String, Duration> held, Map<String, Duration> readsBlocked,
                  Map<String, Duration> writesBlocked, Set<String> rewrittenTables, Set<String> indexesBuilt,
                  List<String> serverMessages, List<Hazard> hazards, String incomplete, List<TimelineSpan> timeline) {
        this.migration = Objects.requireNonNull(migration, "migration");
        this.duration = duration;
        this.transactional = transactional;
        this.failed = failed;
        this.locks = Collections.unmodifiableMap(new LinkedHashMap<>(locks));
        this.held = Collections.unmodifiableMap(new LinkedHashMap<>(held));
        this.readsBlocked = Collections.unmodifiableMap(new LinkedHashMap<>(readsBlocked));
        this.writesBlocked = Collections.unmodifiableMap(new LinkedHashMap<>(writesBlocked));
        this.rewrittenTables = Collections.unmodifiableSet(new LinkedHashSet<>(rewrittenTables));
        this.indexesBuilt = Collections.unmodifiableSet(new LinkedHashSet<>(indexesBuilt));
        this.serverMessages = List.copyOf(serverMessages);
        this.hazards = List.copyOf(hazards);
        this.incomplete = incomplete;
        this.timeline = List.copyOf(timeline);
    }

    /**
     * Return the migration.
     *
     * @return the migration this step applied (or failed to apply)
     */
    public Migration migration() {
        return migration;
    }

    /**
     * Return how long the migration ran, from its start to its commit.
     *
     * @return the duration
     */
    public Duration duration() {
        return duration;
    }

    /**
     * Tell whether the migration ran in one transaction (Flyway runs a script holding
     * {@code CREATE INDEX CONCURRENTLY} outside one).
     *
     * @return {@code true} for a transactional migration
     */
    public boolean transactional() {
        return transactional;
    }

    /**
     * Tell whether the migration failed.
     *
     * @return {@code true} for the step of a failed migration
     */
    public boolean failed() {
        return failed;
    }

    /**
     * Return the strongest table lock the migration took on each table that existed before it.
     *
     * @return {@code schema.table} to mode, in the order first seen
     */
    public Map<String, LockMode> locks() {
        return locks;
    }

    /**
     * Return how long the migration held its locks on a table.
     *
     * @param table {@code schema.table}, or a table name in {@code public}
     * @return the time from the first lock seen to its release, {@link Duration#ZERO} when none was seen
     */
    public Duration held(String table) {
        return held.getOrDefault(qualified(table), Duration.ZERO);
    }

    /**
     * Return the longest time a read ({@code SELECT}) of a table would have waited while the
     * migration ran, measured by asking for the table's {@code ACCESS SHARE} lock without
     * waiting from another session every few milliseconds.
     *
     * @param table {@code schema.table}, or a table name in {@code public}
     * @return the longest blocked stretch, {@link Duration#ZERO} when never blocked
     * @throws InvalidArgumentException when the name is blank
     */
    public Duration readsBlocked(String table) {
        return readsBlocked.getOrDefault(qualified(table), Duration.ZERO);
    }

    /**
     * Return the longest time a write ({@code INSERT}, {@code UPDATE}, {@code DELETE}) of a
     * table would have waited while the migration ran, measured as for reads with the
     * {@code ROW EXCLUSIVE} lock.
     *
     * @param table {@code schema.table}, or a table name in {@code public}
     * @return the longest blocked stretch, {@link Duration#ZERO} when never blocked
     * @throws InvalidArgumentException when the name is blank
     */
    public Duration writesBlocked(String table) {
        return writesBlocked.getOrDefault(qualified(table), Duration.ZERO);
    }

    /**
     * Return the tables the migration rewrote (copied into a new file).
     *
     * @return {@code schema.table} names
     */
    public Set<String> rewrittenTables() {
        return rewrittenTables;
    }

    /**
     * Return every table the migration locked or rewrote: the lanes of its timeline.
     *
     * @return {@code schema.table} names, locked ones first, in the order first seen
     */
    public Set<String> tables() {
        Set<String> tables = new LinkedHashSet<>(locks().keySet());
        tables.addAll(rewrittenTables);
        return Collections.unmodifiableSet(tables);
    }

    /**
     * Return the indexes the migration built on tables that existed before it.
     *
     * @return such as {@code public.orders_customer_idx on public.orders}
     */
    public Set<String> indexesBuilt() {
        return indexesBuilt;
    }

    /**
     * Return what the server said it did (its {@code DEBUG1} messages, such as
     * {@code rewriting table "orders"}), in order.
     *
     * @return the messages
     */
    public List<String> serverMessages() {
        return serverMessages;
    }

    /**
     * Return the hazards of this migration.
     *
     * @return the hazards, empty when it was safe
     */
    public List<Hazard> hazards() {
        return hazards;
    }

    /**
     * Return when, during the migration, it held each lock and reads or writes of each table
     * would have waited: the data of the timeline {@code migrations.html} draws.
     *
     * @return the spans, by table in the order of {@link #locks()}, then by start
     */
    public List<TimelineSpan> timeline() {
        return timeline;
    }

    /**
     * Tell whether everything could be observed; when not, {@link #toString()} says what is missing.
     *
     * @return {@code true} when the observation is complete
     */
    public boolean observationComplete() {
        return incomplete == null;
    }

    /**
     * Describe the step in one paragraph: migration, duration, then each table with its lock,
     * the time held and the blocked reads and writes.
     *
     * @return the description
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(migration).append(failed ? " failed after " : " took ").append(duration.toMillis()).append(" ms")
                .append(transactional ? "" : " (outside a transaction)");
        if (locks.isEmpty()) {
            b.append("; no lock on an existing table seen");
        }
        for (Map.Entry<String, LockMode> e : locks.entrySet()) {
            String t = e.getKey();
            b.append("; ").append(t).append(": ").append(e.getValue().sqlName()).append(" held ")
                    .append(held(t).toMillis()).append(" ms, reads blocked ").append(readsBlocked(t).toMillis())
                    .append(" ms, writes blocked ").append(writesBlocked(t).toMillis()).append(" ms");
            if (rewrittenTables.contains(t)) {
                b.append(", rewritten");
            }
        }
        if (!indexesBuilt.isEmpty()) {
            b.append("; indexes built: ").append(String.join(", ", indexesBuilt));
        }
        if (incomplete != null) {
            b.append("; observation incomplete: ").append(incomplete);
        }
        return b.toString();
    }

    static String qualified(String table) {
        if (table == null || table.isBlank()) {
            throw new InvalidArgumentException("table name '" + table + "' is invalid; expected schema.table such as "
                    + "public.orders. Fix: pass the table's name.");
        }
        String t = table.strip();
        return t.contains(".") ? t : "public." + t;
    }
}
