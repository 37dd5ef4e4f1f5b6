package dev.stateful.migrate;

import dev.stateful.migrate.CatalogSnapshot.Rel;
import dev.stateful.migrate.ServerMessages.Action;
import dev.stateful.migrate.ServerMessages.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
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
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private final Connection connection;
    private final Set<String> bookkeeping;
    private final boolean serverMessages;
    private final Duration maxBlocking;
    private final ReentrantLock io = new ReentrantLock();
    private final ScheduledExecutorService sampler;
    private final List<MigrationStep> steps = new ArrayList<>();
    private CatalogSnapshot catalog;
    private volatile Step current;

    private SafetyObserver(Connection connection, Set<String> bookkeeping, boolean serverMessages,
                           Duration maxBlocking) {
        this.connection = connection;
        this.bookkeeping = bookkeeping;
        this.serverMessages = serverMessages;
        this.maxBlocking = maxBlocking;
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
        Step step = new Step(migration);
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
        Step step = current;
        if (step == null) {
            return;
        }
        synchronized (step) {
            step.statements.add(sql == null ? "" : sql);
            for (String m : messages) {
                ServerMessages.parse(m).ifPresent(e -> {
                    step.events.add(e);
                    step.eventSql.add(sql == null ? "" : sql);
                    step.messages.add(m.strip());
                });
            }
        }
    }

    /** The running migration's last statement ran (its transaction is still open): sample once more. */
    @Override
    public void afterMigration(boolean failed) {
        Step step = current;
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
        Step step = current;
        long delay = step == null ? MIN_INTERVAL_NANOS : intervalNanos(System.nanoTime() - step.started);
        try {
            sampler.schedule(this::sampleAndReschedule, delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the observer is done
        }
    }

    private void tick() {
        Step step = current;
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
    private void sample(Step step) throws SQLException {
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
            Set<Long> probed = new java.util.HashSet<>();
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                String[] parts = String.valueOf(w.getMessage()).strip().split(" ");
                if (parts[0].equals("L") && parts.length == 4) {
                    lock(step, Long.parseLong(parts[1]), parts[2], parts[3].equals("t"), now);
                } else if ((parts[0].equals("R") || parts[0].equals("W")) && parts.length == 3) {
                    Watch watch = step.watches.get(Long.parseLong(parts[1]));
                    if (watch != null) {
                        probed.add(watch.rel.oid());
                        (parts[0].equals("R") ? watch.reads : watch.writes).observe(parts[2].equals("1"), now);
                    }
                }
            }
            for (Watch watch : step.watches.values()) {
                if (!probed.contains(watch.rel.oid())) {
                    // No mode that blocks anything held on it now: a read and a write would go through.
                    watch.reads.observe(false, now);
                    watch.writes.observe(false, now);
                }
            }
        }
    }

    private void lock(Step step, long oid, String pgMode, boolean granted, long now) {
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
        Watch w = step.watches.computeIfAbsent(rel.oid(), k -> new Watch(rel));
        if (granted) {
            w.mode = LockMode.strongest(w.mode, mode);
            if (w.firstGranted < 0) {
                w.firstGranted = now;
            }
            w.grantedUntil = now + intervalNanos(now - step.started);
        }
    }

    private boolean isHistory(Rel rel) {
        return bookkeeping.contains(rel.relname());
    }

    // ---------------------------------------------------------------- closing a step

    private void closeStep() {
        Step step = current;
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
            steps.add(build(step, after, end));
        } catch (RuntimeException e) {
            LOG.warn("Cannot build the observation of migration {}: {}", step.migration, e.toString());
        } finally {
            io.unlock();
        }
    }

    private MigrationStep build(Step step, CatalogSnapshot after, long end) {
        long stepEnd = step.ended > 0 ? step.ended : end;
        Duration duration = Duration.ofNanos(stepEnd - step.started);
        Set<Long> locked = step.watches.keySet();
        Map<Long, String> rewrites = new LinkedHashMap<>();
        Map<Long, String> scans = new LinkedHashMap<>();
        Map<Long, Map<String, String>> indexes = new LinkedHashMap<>();
        Map<Long, List<String>> messages = new LinkedHashMap<>();
        List<Event> events;
        List<String> eventSql;
        List<String> statements;
        synchronized (step) {
            events = List.copyOf(step.events);
            eventSql = List.copyOf(step.eventSql);
            statements = List.copyOf(step.statements);
        }
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            String sql = eventSql.get(i);
            Rel table = e.action() == Action.FOREIGN_KEY_SCAN ? constraintTable(e.table(), after, step)
                    : step.before.tableNamed(e.table(), locked);
            if (table == null) {
                continue; // a table the migration created, or a toast table
            }
            messages.computeIfAbsent(table.oid(), k -> new ArrayList<>()).add(step.messages.get(i));
            switch (e.action()) {
                case REWRITE -> rewrites.putIfAbsent(table.oid(), sql);
                case SCAN, FOREIGN_KEY_SCAN -> scans.putIfAbsent(table.oid(), sql);
                case INDEX_BUILD -> indexes.computeIfAbsent(table.oid(), k -> new LinkedHashMap<>())
                        .putIfAbsent(qualify(table.schema(), e.index()), sql);
                case SCAN_SKIPPED -> { }
                default -> { }
            }
        }
        boolean truncates = statements.stream().anyMatch(s -> s.toUpperCase(java.util.Locale.ROOT).contains("TRUNCATE"));
        for (Rel now : after.all().values()) {
            Rel was = step.before.get(now.oid());
            if (now.isTable() && was != null && was.filenode() != 0 && was.filenode() != now.filenode() && !truncates
                    && !isHistory(was)) {
                rewrites.putIfAbsent(now.oid(), String.join("; ", statements));
            }
            if (!now.isTable() && now.table() != 0) {
                Rel table = step.before.get(now.table());
                boolean built = was == null || was.filenode() != now.filenode();
                if (table != null && built && !isHistory(table)) {
                    indexes.computeIfAbsent(table.oid(), k -> new LinkedHashMap<>()).putIfAbsent(now.name(),
                            statementFor(statements, now.relname()));
                }
            }
        }
        Map<String, LockMode> lockModes = new LinkedHashMap<>();
        Map<String, Duration> held = new LinkedHashMap<>();
        Map<String, Duration> reads = new LinkedHashMap<>();
        Map<String, Duration> writes = new LinkedHashMap<>();
        Set<String> rewritten = new LinkedHashSet<>();
        Set<String> built = new LinkedHashSet<>();
        List<TableFacts> facts = new ArrayList<>();
        Set<Long> tables = new LinkedHashSet<>(locked);
        tables.addAll(rewrites.keySet());
        tables.addAll(indexes.keySet());
        tables.addAll(scans.keySet());
        for (long oid : tables) {
            Rel rel = step.before.get(oid);
            Watch w = step.watches.get(oid);
            String name = rel.name();
            LockMode mode = w == null ? null : w.mode;
            Duration h = w == null || w.firstGranted < 0 ? Duration.ZERO
                    : Duration.ofNanos(Math.min(end, w.grantedUntil) - w.firstGranted);
            Duration r = w == null ? Duration.ZERO : w.reads.longest(end);
            Duration wr = w == null ? Duration.ZERO : w.writes.longest(end);
            if (mode != null) {
                lockModes.put(name, mode);
                held.put(name, h);
            }
            if (!r.isZero()) {
                reads.put(name, r);
            }
            if (!wr.isZero()) {
                writes.put(name, wr);
            }
            if (rewrites.containsKey(oid)) {
                rewritten.add(name);
            }
            Map<String, String> idx = rewrites.containsKey(oid) ? Map.of() : indexes.getOrDefault(oid, Map.of());
            idx.keySet().forEach(i -> built.add(i + " on " + name));
            boolean candidate = rewrites.containsKey(oid) || scans.containsKey(oid) || !idx.isEmpty()
                    || mode != null && mode.blocksWrites();
            long rows = rel.rows() >= 0 || !candidate ? Math.max(rel.rows(), 0) : count(rel);
            facts.add(new TableFacts(name, rows, mode, h, r, wr, rewrites.get(oid), scans.get(oid), idx,
                    messages.getOrDefault(oid, List.of())));
        }
        List<Hazard> hazards = HazardRules.find(step.migration, facts, maxBlocking);
        return new MigrationStep(step.migration, duration, step.transactional, step.failed, lockModes, held, reads,
                writes, rewritten, built, step.messages, hazards, step.incomplete);
    }

    /** Quote as {@code format('%I.%I', ...)} does for ordinary names. */
    static String qualify(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }

    private static String ident(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String statementFor(List<String> statements, String relname) {
        for (String s : statements) {
            if (s.contains(relname)) {
                return s;
            }
        }
        return String.join("; ", statements);
    }

    private Rel constraintTable(String constraint, CatalogSnapshot after, Step step) {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT conrelid::bigint FROM pg_constraint WHERE conname = ? AND contype = 'f'")) {
            s.setString(1, constraint);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Rel rel = step.before.get(rs.getLong(1));
                    if (rel != null) {
                        return rel;
                    }
                }
            }
        } catch (SQLException e) {
            step.incomplete("cannot find the table of constraint " + constraint + ": " + e.getMessage());
        }
        // Rolled back: take a table the migration held SHARE ROW EXCLUSIVE on.
        for (Watch w : step.watches.values()) {
            if (w.mode == LockMode.SHARE_ROW_EXCLUSIVE) {
                return w.rel;
            }
        }
        return null;
    }

    /** Count the rows of a table Postgres has no estimate for (never analysed), within the session's timeout. */
    private long count(Rel rel) {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + rel.name())) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
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

    /** The mutable observation of the running migration. */
    private static final class Step {
        final Migration migration;
        final Map<Long, Watch> watches = new LinkedHashMap<>();
        final List<String> statements = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        final List<String> eventSql = new ArrayList<>();
        final List<String> messages = new ArrayList<>();
        CatalogSnapshot before;
        boolean transactional = true;
        volatile boolean failed;
        int pid;
        long started;
        volatile long ended;
        String incomplete;

        Step(Migration migration) {
            this.migration = migration;
        }

        synchronized void incomplete(String why) {
            if (incomplete == null) {
                incomplete = why;
                LOG.warn("Observation of migration {} is incomplete: {}", migration, why);
            }
        }
    }

    /** One table the migration locked. */
    private static final class Watch {
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
    private static final class Blocked {
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
