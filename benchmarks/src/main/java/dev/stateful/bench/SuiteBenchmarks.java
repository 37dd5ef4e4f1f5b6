package dev.stateful.bench;

import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.cache.StateCache;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.PostgresContainer;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.fixtures.RealisticDataset;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.testcontainers.containers.Container;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * Measure a realistic suite end to end: N classes of M short tests each, every class on the
 * realistic dump of the test fixtures restored and the fixture migrations applied. Each short
 * test inserts an order, updates a user and reads a count. Variants, measured in one run, side
 * by side (total wall time of the suite, and the peak JVM heap while it ran):
 * Stateful as a suite uses it (a handle per class from the cross-run state cache, a baseline
 * snapshot, {@code restore(baseline)} after every test); a Testcontainers
 * {@code PostgreSQLContainer} per class with pg_restore and Flyway, no reset; the same with
 * {@code withReuse(true)}; Stateful with no reset (the floor); and Stateful's
 * {@code stateful.server=shared}, the default (the state's server started from the cross-run state
 * cache, a database per class copied from its database, {@code restore(baseline)} after every test), done here
 * through the handle as the JUnit extension does it.
 *
 * <p>Run with {@code mvn -B -q -pl benchmarks -am verify -DskipTests -Pbench
 * -Dbench.main=dev.stateful.bench.SuiteBenchmarks -Dbench.args="--classes 20 --tests 10"};
 * options {@code --classes N}, {@code --tests M}, {@code --scale X} (realistic dump scale),
 * {@code --out DIR} (where suite-results.csv and suite-results.md go), {@code --variants a,b}
 * (some of {@code reference,reuse,stateful,floor,shared,junit}; all by default). The {@code junit}
 * variant runs {@link SuiteClasses} (20 classes × 10 tests, Stateful's default settings) through
 * the JUnit launcher twice: first with an empty state cache for this state (cold), then again (warm).
 */
public final class SuiteBenchmarks {
    private static final String SUITE_TABLE = "flyway_schema_history";

    private final int classes;
    private final int tests;
    private final double scale;
    private final String image = StatefulSettings.defaultImage();
    private final ResultTable table = new ResultTable();
    private final Random random = new Random(42);
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Set<String> variants;
    /** withReuse's first run, which creates its container (null until measured). */
    private Result reuseCold;

    SuiteBenchmarks(int classes, int tests, double scale) {
        this(classes, tests, scale, Set.of("reference", "reuse", "stateful", "floor", "shared", "junit"));
    }

    SuiteBenchmarks(int classes, int tests, double scale, Set<String> variants) {
        this.classes = classes;
        this.tests = tests;
        this.scale = scale;
        this.variants = variants;
    }

    /**
     * Run the variants and print the table.
     *
     * @param args {@code --classes N}, {@code --tests M}, {@code --scale X}, {@code --out DIR}
     * @throws Exception when a variant fails
     */
    public static void main(String[] args) throws Exception {
        int classes = 20;
        int tests = 10;
        double scale = RealisticDataset.DEFAULT_SCALE;
        Path out = null;
        Set<String> variants = Set.of("reference", "reuse", "stateful", "floor", "shared");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--classes" -> classes = Integer.parseInt(args[++i]);
                case "--tests" -> tests = Integer.parseInt(args[++i]);
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--variants" -> variants = Set.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --classes N, --tests M, --scale X, --out DIR or --variants a,b");
            }
        }
        SuiteBenchmarks bench = new SuiteBenchmarks(classes, tests, scale, variants);
        bench.run();
        String header = String.format(Locale.ROOT, "Machine: %d cores, %.1f GB max heap, %s %s, Java %s; image %s; "
                        + "suite of %d classes × %d tests per variant, realistic scale %s.",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1e9,
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                bench.image, classes, tests, scale);
        System.out.println(header);
        System.out.println(bench.table.markdown());
        if (out != null) {
            bench.table.write(out, "suite-results", header);
        }
    }

    /** One variant's result: the suite's wall time, its per-class times and the peak heap. */
    private record Result(long totalNanos, List<Long> classNanos, long peakHeap) {
    }

    /** One class of the suite, run by a variant. */
    private interface Suite {
        void runClass(int index) throws Exception;
    }

    void run() throws Exception {
        try (RealisticState state = new RealisticState(scale, image)) {
            run(state);
        }
    }

    private void run(RealisticState state) throws Exception {
        Path dump = state.dump();
        String key = state.key();
        StateCache cache = new StateCache(CacheMode.READWRITE, StateCache.DEFAULT_MAX_ENTRIES);
        String scenario = classes + " classes × " + tests + " tests, realistic dump (" + Files.size(dump) / 1_000_000
                + " MB) + migrations V2..V5";
        DockerImageName name = DockerImageName.parse(image).asCompatibleSubstituteFor("postgres");
        // A previous run of the suite has filled the cache: build the entry once, unmeasured.
        try (StatefulPostgres warm = StatefulPostgres.builder().nameHint("bench-suite-warm").image(image).build()) {
            cache.start(warm, key, state.buildOn(warm));
        }
        Result testcontainers = !variants.contains("reference") ? null : measure(i -> {
            try (PostgreSQLContainer pg = new PostgreSQLContainer(name)) {
                pg.start();
                prepare(pg, dump);
                runTests(() -> connect(pg), false, null);
            }
        });
        double reference = testcontainers == null ? Double.NaN : millis(testcontainers.totalNanos());
        if (testcontainers != null) {
            table.add(row(scenario, "Testcontainers PostgreSQLContainer per class + pg_restore + Flyway (reference)",
                    testcontainers, reference, "no reset between tests: tests see each other's writes"));
        }
        Result reuse = variants.contains("reuse") ? reuseRow(scenario, name, dump, reference) : null;
        if (variants.contains("stateful")) {
            Result stateful = measure(i -> {
                try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-suite").image(image).build()) {
                    cache.start(db, key, state.buildOn(db));
                    db.snapshot("baseline");
                    runTests(db::connection, true, db);
                }
            });
            table.add(row(scenario, "Stateful: handle per class from the state cache, restore(baseline) after every test",
                    stateful, reference, "default table-level reset; cache filled by an earlier run" + versus(stateful, reuse)));
        }
        if (variants.contains("floor")) {
            Result floor = measure(i -> {
                try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-suite-none").image(image).build()) {
                    cache.start(db, key, state.buildOn(db));
                    runTests(db::connection, false, null);
                }
            });
            table.add(row(scenario, "Stateful, reset = NONE (the floor)", floor, reference,
                    "no reset: tests see each other's writes"));
        }
        if (variants.contains("junit")) {
            junitRows(scenario, dump, reference, reuse);
        }
        if (variants.contains("shared")) {
            Result shared = sharedServer(state, cache, key);
            table.add(row(scenario, "Stateful stateful.server=shared: one server, a database per class from a template, "
                    + "restore(baseline) after every test", shared, reference, "the default; every test isolated; the "
                    + "server starts from the state cache in the first class" + versus(shared, reuse)));
        }
    }

    /**
     * The suite as users run it: {@link SuiteClasses} through the JUnit launcher with Stateful's
     * defaults, once cold (this state is not in the cache: the first class builds it) and once warm.
     */
    private void junitRows(String scenario, Path dump, double reference, Result reuse) throws Exception {
        if (tests != SuiteClasses.TESTS || classes > SuiteClasses.all().size()) {
            System.out.println("junit variant not measured: it has " + SuiteClasses.all().size() + " classes of "
                    + SuiteClasses.TESTS + " tests; asked for " + classes + " × " + tests);
            return;
        }
        Path target = Path.of(SuiteClasses.DUMP);
        Files.createDirectories(target.getParent());
        // A new file name each run would be another cache key; the same content is the same key.
        Files.copy(dump, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SuiteClasses.ORDERS_BEFORE.clear();
        Result cold = junitRun();
        table.add(row(scenario, "Stateful defaults through JUnit, cold (the first class builds the state)", cold,
                reference, "every test isolated; shared server, a database per class" + versus(cold, reuseCold)));
        Result warm = junitRun();
        table.add(row(scenario, "Stateful defaults through JUnit, warm (state from the cache)", warm, reference,
                "every test isolated; shared server, a database per class" + versus(warm, reuse)));
    }

    /** Run the suite's classes through the JUnit launcher; fail when a test fails. */
    private Result junitRun() {
        List<Long> perClass = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
        org.junit.platform.launcher.listeners.SummaryGeneratingListener summary =
                new org.junit.platform.launcher.listeners.SummaryGeneratingListener();
        org.junit.platform.launcher.TestExecutionListener classes = new org.junit.platform.launcher.TestExecutionListener() {
            @Override
            public void executionStarted(org.junit.platform.launcher.TestIdentifier id) {
                if (isClass(id)) {
                    started.put(id.getUniqueId(), System.nanoTime());
                }
            }

            @Override
            public void executionFinished(org.junit.platform.launcher.TestIdentifier id,
                                          org.junit.platform.engine.TestExecutionResult result) {
                Long begun = started.remove(id.getUniqueId());
                if (begun != null) {
                    perClass.add(System.nanoTime() - begun);
                }
            }

            private boolean isClass(org.junit.platform.launcher.TestIdentifier id) {
                return id.getSource().filter(org.junit.platform.engine.support.descriptor.ClassSource.class::isInstance)
                        .isPresent();
            }
        };
        org.junit.platform.launcher.LauncherDiscoveryRequest request =
                org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                        .selectors(SuiteClasses.all().subList(0, this.classes).stream()
                                .map(org.junit.platform.engine.discovery.DiscoverySelectors::selectClass).toList())
                        .build();
        long begun = System.nanoTime();
        org.junit.platform.launcher.core.LauncherFactory.create().execute(request, summary, classes);
        long total = System.nanoTime() - begun;
        org.junit.platform.launcher.listeners.TestExecutionSummary s = summary.getSummary();
        if (s.getTotalFailureCount() > 0 || s.getTestsSucceededCount() != (long) this.classes * tests) {
            java.io.StringWriter w = new java.io.StringWriter();
            s.printFailuresTo(new java.io.PrintWriter(w), 20);
            throw new IllegalStateException("the JUnit suite failed: " + s.getTestsSucceededCount() + " of "
                    + (long) this.classes * tests + " tests passed\n" + w);
        }
        return new Result(total, perClass, memory.getHeapMemoryUsage().getUsed());
    }

    private static String versus(Result result, Result reuse) {
        return reuse == null ? "" : String.format(Locale.ROOT, "; ×%.2f of withReuse's wall time",
                (double) result.totalNanos() / reuse.totalNanos());
    }

    /**
     * What {@code stateful.server=shared} (the default) does for each class, through the handle: the
     * state's server starts from the state cache, each class's database is a copy of its database.
     */
    private Result sharedServer(RealisticState state, StateCache cache, String key) throws Exception {
        StatefulPostgres[] server = new StatefulPostgres[1];
        try {
            return measure(i -> {
                if (server[0] == null) {
                    server[0] = StatefulPostgres.builder().nameHint("bench-suite-shared").image(image).build();
                    cache.start(server[0], key, state.buildOn(server[0]));
                }
                try (StatefulPostgres db = StatefulPostgres.builder().onServerOf(server[0]).database("c_bench_" + i)
                        .build()) {
                    ((PostgresContainer) HandleAccess.server(db)).startFromTemplate(server[0].database());
                    db.snapshot("baseline");
                    runTests(db::connection, true, db);
                }
            });
        } finally {
            if (server[0] != null) {
                server[0].discard();
            }
        }
    }

    private Result reuseRow(String scenario, DockerImageName name, Path dump, double reference) throws Exception {
        if (!TestcontainersConfiguration.getInstance().environmentSupportsReuse()) {
            System.out.println("Testcontainers withReuse(true) not measured: reuse is off in this environment; it needs "
                    + "testcontainers.reuse.enable=true in ~/.testcontainers.properties or TESTCONTAINERS_REUSE_ENABLE=true");
            return null;
        }
        String run = Long.toString(System.nanoTime());
        List<PostgreSQLContainer> started = new ArrayList<>();
        try {
            Suite reuseClass = i -> {
                // As a suite does: each class asks for the container; reuse finds the running one and
                // never stops it, so the dump and the migrations happen once, and the state is shared.
                PostgreSQLContainer pg = new PostgreSQLContainer(name).withReuse(true).withLabel("dev.stateful.bench.run", run);
                pg.start();
                started.add(pg);
                if (!migrated(pg)) {
                    prepare(pg, dump);
                } else {
                    flyway(pg).migrate();
                }
                runTests(() -> connect(pg), false, null);
            };
            // Cold: the first run creates the container, restores the dump and migrates; warm: a
            // second run finds the container running (as the next run on a developer's machine does).
            reuseCold = measure(reuseClass);
            table.add(row(scenario, "Testcontainers withReuse(true), cold: the run creates the container", reuseCold,
                    reference, "dump + migrations once; no reset: every class sees every earlier class's writes"));
            Result reuse = measure(reuseClass);
            table.add(row(scenario, "Testcontainers withReuse(true), warm: one container for the suite, found running",
                    reuse, reference, "no reset: every class sees every earlier class's writes"));
            return reuse;
        } finally {
            if (!started.isEmpty()) {
                started.get(0).stop();
            }
        }
    }

    private ResultTable.Row row(String scenario, String variant, Result result, double reference, String note) {
        Stats perClass = Stats.ofNanos(result.classNanos());
        return new ResultTable.Row(scenario, variant, new Stats(1, millis(result.totalNanos()), millis(result.totalNanos())),
                reference, String.format(Locale.ROOT, "%s; per class median %.0f ms, p95 %.0f ms%s; peak heap %d MB",
                note, perClass.medianMillis(), perClass.p95Millis(), Double.isNaN(reference) ? ""
                        : String.format(Locale.ROOT, "; ×%.2f of the reference's time", millis(result.totalNanos()) / reference),
                result.peakHeap() / 1_000_000));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private Result measure(Suite suite) throws Exception {
        System.gc();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "suite-bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        List<Long> perClass = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < classes; i++) {
                long classStarted = System.nanoTime();
                suite.runClass(i);
                perClass.add(System.nanoTime() - classStarted);
            }
        } finally {
            sampler.interrupt();
            sampler.join(5_000);
        }
        long total = System.nanoTime() - started;
        return new Result(total, perClass, Math.max(peak.get(), memory.getHeapMemoryUsage().getUsed()));
    }

    /** Where a test gets its connection. */
    private interface Connections {
        Connection open() throws SQLException;
    }

    private void runTests(Connections connections, boolean reset, StatefulPostgres db) throws Exception {
        for (int t = 0; t < tests; t++) {
            shortTest(connections);
            if (reset) {
                db.restore("baseline");
            }
        }
    }

    /** The short test: insert an order for a user, update a user, read a count. */
    private void shortTest(Connections connections) throws SQLException {
        try (Connection c = connections.open(); Statement s = c.createStatement()) {
            long user;
            try (ResultSet rs = s.executeQuery("SELECT id FROM users ORDER BY id OFFSET " + random.nextInt(100) + " LIMIT 1")) {
                if (!rs.next()) {
                    throw new IllegalStateException("the realistic dataset has no users");
                }
                user = rs.getLong(1);
            }
            s.executeUpdate("INSERT INTO orders (user_id, status, placed_at, total_cents) VALUES (" + user
                    + ", 'pending', now(), " + (100 + random.nextInt(10_000)) + ")");
            s.executeUpdate("UPDATE users SET profile = profile || '{\"bench\": true}'::jsonb WHERE id = " + user);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM orders WHERE user_id = " + user)) {
                if (!rs.next() || rs.getLong(1) < 1) {
                    throw new IllegalStateException("the inserted order is not counted");
                }
            }
        }
    }

    private static Connection connect(PostgreSQLContainer pg) throws SQLException {
        return DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
    }

    /** What a Testcontainers suite does in {@code @BeforeAll}: pg_restore the dump inside the container, then Flyway. */
    private static void prepare(PostgreSQLContainer pg, Path dump) throws Exception {
        pg.copyFileToContainer(MountableFile.forHostPath(dump), "/tmp/fixture.dump");
        Container.ExecResult restore = pg.execInContainer("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                "-U", pg.getUsername(), "-d", pg.getDatabaseName(), "/tmp/fixture.dump");
        if (restore.getExitCode() != 0) {
            throw new IllegalStateException("pg_restore failed: " + restore.getStderr());
        }
        flyway(pg).migrate();
    }

    private static Flyway flyway(PostgreSQLContainer pg) {
        return Flyway.configure().dataSource(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword())
                .locations(Fixtures.MIGRATIONS).table(SUITE_TABLE)
                // V4 is CREATE INDEX CONCURRENTLY: with Flyway's default transactional advisory lock it
                // waits forever for the lock holder's open transaction.
                .configuration(java.util.Map.of("flyway.postgresql.transactional.lock", "false")).load();
    }

    private static boolean migrated(PostgreSQLContainer pg) throws SQLException {
        try (Connection c = connect(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('public.users') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
