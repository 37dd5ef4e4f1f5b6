package dev.stateful.migrate;

import dev.stateful.migrate.CatalogSnapshot.Rel;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watch the migrations of one run from a second session, whatever runs them (Flyway through
 * {@link FlywayObserverCallback}; another engine calls the same four methods): {@link #begin}
 * before a migration's first statement, {@link #statement} after each statement,
 * {@link #afterMigration} when its last statement ran, {@link #finish} after the run.
 *
 * <p>While a migration runs, a thread samples {@code pg_locks} for the migration's backend
 * every {@value #MIN_INTERVAL_MILLIS} ms at first, then every 2% of the time the migration has
 * run so far (at most every {@value #MAX_INTERVAL_MILLIS} ms), and asks, without waiting, for the {@code ACCESS SHARE}
 * and {@code ROW EXCLUSIVE} locks of each table the migration locked (a read and a write would
 * ask for them). A catalog snapshot before and after each migration shows rewritten tables and
 * new indexes; the server's {@code DEBUG1} messages name scans. Nothing here changes data or
 * joins a lock queue, and no failure of the observation reaches the migration: it is logged and
 * the step says its observation is incomplete.
 */
final class SafetyObserver implements StepObserver, AutoCloseable {
    /** The sampling interval while a migration is young: short locks are seen. */
    static final long MIN_INTERVAL_MILLIS = 20;
    /** The longest sampling interval: a long migration is sampled about every 2% of its run, up to this. */
    static final long MAX_INTERVAL_MILLIS = 200;
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS);
    private static final long MAX_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_INTERVAL_MILLIS);
    static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private final Connection connection;
    private final Set<String> bookkeeping;
    private final boolean serverMessages;
    private final ReentrantLock io = new ReentrantLock();
    private final ScheduledExecutorService sampler;
    private final List<MigrationStep> steps = new ArrayList<>();
    private final StepSummary summary;
    private CatalogSnapshot catalog;
    private volatile ObservedStep current;

    private SafetyObserver(Connection connection, Set<String> bookkeeping, boolean serverMessages,
                           Duration maxBlocking) {
        this.connection = connection;
        this.bookkeeping = bookkeeping;
        this.serverMessages = serverMessages;
        this.summary = new StepSummary(connection, bookkeeping, maxBlocking);
        this.sampler = connection == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stateful-migration-observer");
            t.setDaemon(true);
            return t;
        });
        if (sampler != null) {
            sampler.schedule(this::sampleAndReschedule, MIN_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Open the observer's session; when that fails, or observation is off, return an observer
     * that observes nothing (the migrations run as they would without it).
     *
     * @param serverMessages whether the engine passes each statement's server messages to
     *     {@link #statement}; only then is the migration's session asked for {@code DEBUG1} ones
     * @param bookkeepingTables the engine's own history tables, left out of the observation
     */
    static SafetyObserver open(DataSource dataSource, String database, SafetyObservation how, boolean serverMessages,
                               String... bookkeepingTables) {
        Set<String> bookkeeping = Set.of(bookkeepingTables);
        if (!how.enabled()) {
            return new SafetyObserver(null, bookkeeping, serverMessages, how.maxBlocking());
        }
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("SET application_name = 'stateful-observer'; SET lock_timeout = '100ms'; "
                        + "SET statement_timeout = '5s'");
            }
            return new SafetyObserver(c, bookkeeping, serverMessages, how.maxBlocking());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Cannot open the session that observes the migrations of database {}: {}; migrating without "
                    + "observation", database, e.getMessage());
            closeQuietly(c);
            return new SafetyObserver(null, bookkeeping, serverMessages, how.maxBlocking());
        }
    }

    boolean enabled() {
        return connection != null;
    }

    /** A migration starts on this connection: close the previous step, start watching. */
    @Override
    public void begin(Migration migration, Connection migrationConnection) {
        if (!enabled()) {
            return;
        }
        closeStep();
        ObservedStep step = new ObservedStep(migration);
        try {
            step.transactional = !migrationConnection.getAutoCommit();
            step.pid = backendPid(migrationConnection);
            if (serverMessages) {
                try (Statement s = migrationConnection.createStatement()) {
                    s.execute("SET client_min_messages = debug1");
                }
            }
        } catch (SQLException | RuntimeException e) {
            step.incomplete("cannot read the migration's session: " + e.getMessage());
        }
        io.lock();
        try {
            if (catalog == null) {
                catalog = CatalogSnapshot.take(connection);
            }
            step.before = catalog;
        } catch (SQLException | RuntimeException e) {
            step.incomplete("cannot read the catalog before the migration: " + e.getMessage());
            step.before = CatalogSnapshot.empty();
        } finally {
            io.unlock();
        }
        step.started = System.nanoTime();
        current = step;
    }

    /** A statement of the running migration ran; these are the server's messages for it. */
    @Override
    public void statement(String sql, List<String> messages) {
        ObservedStep step = current;
        if (step == null) {
            return;
        }
        synchronized (step) {
            step.statements.add(sql == null ? "" : sql);
            for (String m : messages) {
                ServerMessages.parse(m).ifPresent(e -> step.events.add(new ObservedStep.Seen(e, sql == null ? "" : sql,
                        m.strip())));
            }
        }
    }

    /** The running migration's last statement ran (its transaction is still open): sample once more. */
    @Override
    public void afterMigration(boolean failed) {
        ObservedStep step = current;
        if (step == null) {
            return;
        }
        step.failed = failed;
        step.ended = System.nanoTime();
        tick();
    }

    /** The run is over (committed or rolled back): close the last step and return them all. */
    @Override
    public List<MigrationStep> finish() {
        if (enabled()) {
            closeStep();
        }
        return List.copyOf(steps);
    }

    /** The step of the migration that failed, once {@link #finish} ran. */
    MigrationStep failedStep() {
        for (MigrationStep s : steps) {
            if (s.failed()) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
            try {
                if (!sampler.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("The migration observer thread did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(connection);
    }

    // ---------------------------------------------------------------- sampling

    /**
     * The interval after a sample taken {@code elapsedNanos} into a migration: the resolution of
     * a lock's time held and of a blocked read or write stays within about 2% of the migration's
     * duration, and a migration of 10 s costs about 150 round trips instead of 500 (each one CPU
     * the migration may need on a busy machine).
     */
    static long intervalNanos(long elapsedNanos) {
        return Math.max(MIN_INTERVAL_NANOS, Math.min(MAX_INTERVAL_NANOS, elapsedNanos / 50));
    }

    private void sampleAndReschedule() {
        tick();
        ObservedStep step = current;
        long delay = step == null ? MIN_INTERVAL_NANOS : intervalNanos(System.nanoTime() - step.started);
        try {
            sampler.schedule(this::sampleAndReschedule, delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the observer is done
        }
    }

    private void tick() {
        ObservedStep step = current;
        if (step == null || step.pid == 0) {
            return;
        }
        io.lock();
        try {
            if (current != step) {
                return;
            }
            sample(step);
        } catch (SQLException | RuntimeException e) {
            step.incomplete("sampling failed: " + e.getMessage());
        } finally {
            io.unlock();
        }
    }

    /**
     * One round trip: the migration's table locks, then, for each table on which it holds a
     * mode that blocks reads or writes (or waits for one), a read and a write probe that do
     * not wait. Only tables committed before the migration are visible here.
     */
    private void sample(ObservedStep step) throws SQLException {
        String sql = "DO $$DECLARE r record; probe oid[] := '{}'; o oid; BEGIN "
                + "FOR r IN SELECT l.relation AS o, l.mode, l.granted FROM pg_locks l "
                + "JOIN pg_class c ON c.oid = l.relation AND c.relkind IN ('r', 'p', 'm') "
                + "WHERE l.pid = " + step.pid + " AND l.locktype = 'relation' "
                + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) LOOP "
                + "RAISE NOTICE 'L % % %', r.o, r.mode, r.granted; "
                + "IF (NOT r.granted OR r.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', "
                + "'AccessExclusiveLock')) AND NOT r.o = ANY (probe) THEN probe := probe || r.o; END IF; "
                + "END LOOP; "
                + "FOREACH o IN ARRAY probe LOOP "
                + "CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = o); "
                + "BEGIN EXECUTE format('LOCK TABLE %s IN ACCESS SHARE MODE NOWAIT', o::regclass); RAISE NOTICE 'R % 0', o; "
                + "EXCEPTION WHEN lock_not_available THEN RAISE NOTICE 'R % 1', o; WHEN undefined_table THEN NULL; END; "
                + "BEGIN EXECUTE format('LOCK TABLE %s IN ROW EXCLUSIVE MODE NOWAIT', o::regclass); RAISE NOTICE 'W % 0', o; "
                + "EXCEPTION WHEN lock_not_available THEN RAISE NOTICE 'W % 1', o; WHEN undefined_table THEN NULL; END; "
                + "END LOOP; END$$";
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
            long now = System.nanoTime();
            step.samples++;
            Set<Long> probed = new java.util.HashSet<>();
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                String[] parts = String.valueOf(w.getMessage()).strip().split(" ");
                if (parts[0].equals("L") && parts.length == 4) {
                    lock(step, Long.parseLong(parts[1]), parts[2], parts[3].equals("t"), now);
                } else if ((parts[0].equals("R") || parts[0].equals("W")) && parts.length == 3) {
                    ObservedStep.Watch watch = step.watches.get(Long.parseLong(parts[1]));
                    if (watch != null) {
                        probed.add(watch.rel.oid());
                        (parts[0].equals("R") ? watch.reads : watch.writes).observe(parts[2].equals("1"), now);
                    }
                }
            }
            for (ObservedStep.Watch watch : step.watches.values()) {
                if (!probed.contains(watch.rel.oid())) {
                    // No mode that blocks anything held on it now: a read and a write would go through.
                    watch.reads.observe(false, now);
                    watch.writes.observe(false, now);
                }
            }
        }
    }

    private void lock(ObservedStep step, long oid, String pgMode, boolean granted, long now) {
        Rel rel = step.before.get(oid);
        if (rel == null || !rel.isTable() || isHistory(rel)) {
            return; // an index, or the history table
        }
        LockMode mode;
        try {
            mode = LockMode.fromPgLocks(pgMode);
        } catch (IllegalArgumentException e) {
            return;
        }
        ObservedStep.Watch w = step.watches.computeIfAbsent(rel.oid(), k -> new ObservedStep.Watch(rel));
        if (granted) {
            w.mode = LockMode.strongest(w.mode, mode);
            if (w.firstGranted < 0) {
                w.firstGranted = now;
            }
            w.grantedUntil = now + intervalNanos(now - step.started);
            w.seen(mode, step.samples, now, w.grantedUntil);
        }
    }

    private boolean isHistory(Rel rel) {
        return bookkeeping.contains(rel.relname());
    }

    // ---------------------------------------------------------------- closing a step

    private void closeStep() {
        ObservedStep step = current;
        if (step == null) {
            return;
        }
        io.lock();
        try {
            current = null;
            long end = System.nanoTime();
            CatalogSnapshot after;
            try {
                after = CatalogSnapshot.take(connection);
                catalog = after;
            } catch (SQLException | RuntimeException e) {
                step.incomplete("cannot read the catalog after the migration: " + e.getMessage());
                after = step.before;
                catalog = null;
            }
            steps.add(summary.summarize(step, after, end));
        } catch (RuntimeException e) {
            LOG.warn("Cannot build the observation of migration {}: {}", step.migration, e.toString());
        } finally {
            io.unlock();
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        if (c.isWrapperFor(PGConnection.class)) {
            return c.unwrap(PGConnection.class).getBackendPID();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing after the run: nothing left to observe
            }
        }
    }
}
