package dev.stateful.bench;

import static dev.stateful.bench.Bench.sql;
import static dev.stateful.bench.Bench.sqlIn;
import static dev.stateful.bench.Bench.time;

import dev.stateful.cache.CacheKey;
import dev.stateful.cache.StateCache;
import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.migrate.MigrationSettings;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Measure Stateful side by side with the obvious alternatives, in one run, and print a table.
 *
 * <p>Run with {@code mvn -B -pl benchmarks -am verify -Pbench}; options:
 * {@code --reps N} (repetitions of the fast variants), {@code --reset-mb N} (size of the
 * database reset in scenario 1), {@code --volume-mb N} (data directory size of scenario 5),
 * {@code --pgbench-scale N} (scenario 2), {@code --state-scale X} (realistic dump scale of
 * scenario 3), {@code --out DIR} (where results.csv and results.md go).
 */
public final class Benchmarks {
    private final Options options;
    private final String image = StatefulSettings.defaultImage();
    private final ResultTable table = new ResultTable();

    /**
     * Hold the command-line options.
     *
     * @param reps repetitions of the fast variants
     * @param resetMb size of the database of scenario 1
     * @param volumeMb data directory size of scenario 5
     * @param out output directory, or {@code null}
     */
    public record Options(int reps, int resetMb, int volumeMb, int pgbenchScale, double stateScale, Path out) {
        static Options parse(String[] args) {
            int reps = 15;
            int resetMb = 10;
            int volumeMb = 800;
            int pgbenchScale = 10;
            double stateScale = 30;
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--reps" -> reps = Integer.parseInt(args[++i]);
                    case "--reset-mb" -> resetMb = Integer.parseInt(args[++i]);
                    case "--volume-mb" -> volumeMb = Integer.parseInt(args[++i]);
                    case "--pgbench-scale" -> pgbenchScale = Integer.parseInt(args[++i]);
                    case "--state-scale" -> stateScale = Double.parseDouble(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "'; expected --reps N, --reset-mb N, --volume-mb N, --pgbench-scale N, --state-scale X or --out DIR");
                }
            }
            return new Options(reps, resetMb, volumeMb, pgbenchScale, stateScale, out);
        }
    }

    Benchmarks(Options options) {
        this.options = options;
    }

    /**
     * Run every scenario and print the table.
     *
     * @param args see the class comment
     * @throws Exception when a scenario fails
     */
    public static void main(String[] args) throws Exception {
        Benchmarks benchmarks = new Benchmarks(Options.parse(args));
        ResultTable table = benchmarks.runAll();
        String header = benchmarks.header();
        System.out.println(header);
        System.out.println(table.markdown());
        if (benchmarks.options.out() != null) {
            table.write(benchmarks.options.out(), "results", header);
        }
    }

    ResultTable runAll() throws Exception {
        resetSmallDatabase();
        resetLargeDatabase();
        timeToFirstTest();
        harnessOverhead();
        volumeSnapshot();
        return table;
    }

    String header() {
        return String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s; image %s; reps %d.",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), image, options.reps());
    }

    // ------------------------------------------------------------------ 1. reset a small database

    void resetSmallDatabase() throws Exception {
        String scenario = "reset " + options.resetMb() + " MB database";
        // The clone paths themselves: table-level reset off, so that every restore clones.
        try (StatefulPostgres pooled = StatefulPostgres.builder().nameHint("bench-pooled").image(image).snapshotPool(1).tableReset(false).start();
             StatefulPostgres unpooled = StatefulPostgres.builder().nameHint("bench-unpooled").image(image).snapshotPool(0).tableReset(false).start()) {
            load(pooled, options.resetMb());
            load(unpooled, options.resetMb());
            String size = sql(pooled, "SELECT pg_size_pretty(pg_database_size(current_database()))");
            pooled.snapshot("base");
            unpooled.snapshot("base");
            sql(unpooled, "CREATE DATABASE bench_template TEMPLATE test");
            sql(unpooled, "CREATE DATABASE bench_copy TEMPLATE bench_template");

            List<Long> pooledTimes = new ArrayList<>();
            List<Long> unpooledTimes = new ArrayList<>();
            List<Long> templateTimes = new ArrayList<>();
            List<Long> truncateTimes = new ArrayList<>();
            for (int i = 0; i < options.reps(); i++) {
                dirty(pooled);
                awaitPooledClone(pooled);
                pooledTimes.add(time(() -> pooled.restore("base")));

                dirty(unpooled);
                unpooledTimes.add(time(() -> unpooled.restore("base")));

                templateTimes.add(time(() -> {
                    sqlIn(unpooled, "postgres", "DROP DATABASE bench_copy WITH (FORCE)");
                    sqlIn(unpooled, "postgres", "CREATE DATABASE bench_copy TEMPLATE bench_template");
                }));

                truncateTimes.add(time(() -> sql(unpooled, "TRUNCATE bench_rows, bench_events")));
                unpooled.restore("base");
            }
            List<Long> containerTimes = new ArrayList<>();
            for (int i = 0; i < Math.max(2, Math.min(options.reps(), 5)); i++) {
                containerTimes.add(time(() -> StatefulPostgres.builder().nameHint("bench-fresh").image(image).start().close()));
            }
            double reference = Stats.ofNanos(containerTimes).medianMillis();
            table.add(new ResultTable.Row(scenario, "Stateful restore (pooled clone, rename)", Stats.ofNanos(pooledTimes), reference, size));
            table.add(new ResultTable.Row(scenario, "Stateful restore (unpooled, FILE_COPY)", Stats.ofNanos(unpooledTimes), reference, size));
            table.add(new ResultTable.Row(scenario, "DROP + CREATE DATABASE … TEMPLATE (default strategy)", Stats.ofNanos(templateTimes), reference, size));
            table.add(new ResultTable.Row(scenario, "TRUNCATE all tables (empties, does not restore)", Stats.ofNanos(truncateTimes), reference, size));
            table.add(new ResultTable.Row(scenario, "new container per test (reference; empty database)", Stats.ofNanos(containerTimes), reference, ""));
        }
    }

    private static void load(StatefulPostgres db, int megabytes) throws SQLException {
        long rows = Math.max(1000L, megabytes * 9_000L);
        sql(db, "CREATE TABLE bench_rows AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS payload, "
                + "now() - g * interval '1 second' AS at FROM generate_series(1, " + rows + ") g");
        sql(db, "ALTER TABLE bench_rows ADD PRIMARY KEY (id)");
        sql(db, "CREATE TABLE bench_events (id bigserial PRIMARY KEY, row_id bigint REFERENCES bench_rows, note text)");
        sql(db, "INSERT INTO bench_events (row_id, note) SELECT id, 'seed' FROM bench_rows WHERE id % 10 = 0");
    }

    private static void dirty(StatefulPostgres db) throws SQLException {
        sql(db, "INSERT INTO bench_events (row_id, note) VALUES (1, 'dirty')");
    }

    private static void awaitPooledClone(StatefulPostgres db) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!"0".equals(sqlIn(db, "postgres",
                    "SELECT count(*) FROM pg_database WHERE datname LIKE 'test\\_\\_clone\\_%'"))) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the snapshot pool was not refilled within 60 s");
    }

    // ------------------------------------------------------------------ 2. reset a large database

    void resetLargeDatabase() throws Exception {
        String scenario = "reset pgbench scale " + options.pgbenchScale() + " database";
        Path dump = Fixtures.pgbenchDump(options.pgbenchScale(), image);
        // The clone path itself: table-level reset off, so that every restore clones.
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-large").image(image).tableReset(false).start()) {
            db.restoreDump(dump);
            String size = sql(db, "SELECT pg_size_pretty(pg_database_size(current_database()))");
            db.snapshot("base");
            List<Long> pooled = new ArrayList<>();
            int reps = Math.max(2, Math.min(options.reps(), 10));
            for (int i = 0; i < reps; i++) {
                sql(db, "UPDATE pgbench_branches SET bbalance = bbalance + 1");
                awaitPooledClone(db);
                pooled.add(time(() -> db.restore("base")));
            }
            List<Long> fresh = new ArrayList<>();
            for (int i = 0; i < Math.max(1, Math.min(options.reps(), 3)); i++) {
                fresh.add(time(() -> {
                    try (StatefulPostgres other = StatefulPostgres.builder().nameHint("bench-large-fresh").image(image).start()) {
                        other.restoreDump(dump);
                    }
                }));
            }
            double reference = Stats.ofNanos(fresh).medianMillis();
            table.add(new ResultTable.Row(scenario, "new container + pg_restore of the dump (reference)", Stats.ofNanos(fresh), reference,
                    size + ", dump " + Files.size(dump) / 1_000_000 + " MB"));
            table.add(new ResultTable.Row(scenario, "Stateful restore (pooled clone, rename)", Stats.ofNanos(pooled), reference, size));
        }
    }

    // ------------------------------------------------------------------ 3. time to first test

    void timeToFirstTest() throws Exception {
        String scenario = "first test of a class with a dump + migrations";
        Path dump = Fixtures.realisticDump(options.stateScale(), image);
        MigrationSettings migrations = Fixtures.migrationSettings();
        String imageId = DockerEngine.get().image(image).id();
        String key = CacheKey.builder().part("image-id", imageId).file("dump", dump)
                .part("migrations", migrations.toString()).part("bench-run", Long.toString(System.nanoTime())).build();
        Function<StatefulPostgres, StateCache.Build> build = db -> () -> {
            db.restoreDump(dump);
            db.migrations().withSettings(migrations).migrate();
        };
        List<Long> cold = new ArrayList<>();
        List<Long> hit = new ArrayList<>();
        StateCache off = new StateCache(CacheMode.OFF, StateCache.DEFAULT_MAX_ENTRIES);
        StateCache cache = new StateCache(CacheMode.READWRITE, StateCache.DEFAULT_MAX_ENTRIES);
        try {
            try (StatefulPostgres warm = StatefulPostgres.builder().nameHint("bench-cache").image(image).build()) {
                cache.start(warm, key, build.apply(warm));
            }
            for (int i = 0; i < Math.max(1, Math.min(options.reps(), 3)); i++) {
                cold.add(time(() -> {
                    try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-cold").image(image).build()) {
                        off.start(db, key, build.apply(db));
                    }
                }));
                hit.add(time(() -> {
                    try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-hit").image(image).build()) {
                        if (!cache.start(db, key, build.apply(db))) {
                            throw new IllegalStateException("expected a cache hit");
                        }
                    }
                }));
            }
        } finally {
            DockerEngine engine = DockerEngine.get();
            engine.volumesLabelled(StateCache.KEY_LABEL, key).forEach((marker, labels) -> {
                engine.removeVolume(marker);
                engine.removeVolume(labels.get(StateCache.DATA_LABEL));
            });
        }
        double reference = Stats.ofNanos(cold).medianMillis();
        String note = "realistic scale " + options.stateScale() + ", dump " + Files.size(dump) / 1_000_000 + " MB, migrations V1..V5";
        table.add(new ResultTable.Row(scenario, "cold: start + pg_restore + migrate (reference)", Stats.ofNanos(cold), reference, note));
        table.add(new ResultTable.Row(scenario, "Stateful cache hit: copy cached data directory + start", Stats.ofNanos(hit), reference, note));
    }

    // ------------------------------------------------------------------ 4. harness overhead

    void harnessOverhead() throws Exception {
        String scenario = "start a Postgres container until it answers";
        List<Long> stateful = new ArrayList<>();
        List<Long> plain = new ArrayList<>();
        DockerImageName name = DockerImageName.parse(image).asCompatibleSubstituteFor("postgres");
        for (int i = 0; i < Math.max(2, Math.min(options.reps(), 7)); i++) {
            stateful.add(time(() -> {
                try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-start").image(image).build()) {
                    db.start();
                }
            }));
            plain.add(time(() -> {
                try (PostgreSQLContainer pg = new PostgreSQLContainer(name)) {
                    pg.start();
                }
            }));
        }
        double reference = Stats.ofNanos(plain).medianMillis();
        table.add(new ResultTable.Row(scenario, "Testcontainers PostgreSQLContainer (reference)", Stats.ofNanos(plain), reference, "start + stop"));
        table.add(new ResultTable.Row(scenario, "Stateful @WithVolume handle", Stats.ofNanos(stateful), reference,
                String.format(Locale.ROOT, "overhead ×%.2f", Stats.ofNanos(stateful).medianMillis() / reference)));
    }

    // ------------------------------------------------------------------ 5. volume snapshot

    void volumeSnapshot() throws Exception {
        int scale = Math.max(1, options.volumeMb() / 15);
        String scenario = "volume snapshot/restore, pgbench scale " + scale;
        DockerEngine engine = DockerEngine.get();
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-volume").image(image).start()) {
            ExecResult init = engine.exec(db.containerId(), "postgres",
                    List.of("pgbench", "-i", "-q", "-s", Integer.toString(scale), "-U", db.username(), db.database()));
            if (!init.succeeded()) {
                throw new IllegalStateException("pgbench -i failed: " + init.stderrTail(10));
            }
            Path tar = Files.createTempFile("stateful-bench-volume", ".tar");
            try {
                List<Long> snapshot = new ArrayList<>();
                List<Long> restore = new ArrayList<>();
                List<Long> toHost = new ArrayList<>();
                List<Long> fromHost = new ArrayList<>();
                int reps = Math.max(1, Math.min(options.reps(), 3));
                String parent = Path.of(HandleAccess.server(db).dataDirectory()).getParent().toString();
                for (int i = 0; i < reps; i++) {
                    snapshot.add(time(() -> db.snapshots().snapshotVolume("bench")));
                    restore.add(time(() -> db.snapshots().restoreVolume("bench")));
                    db.stop();
                    toHost.add(time(() -> {
                        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar))) {
                            engine.copyFromContainer(db.containerId(), HandleAccess.server(db).dataDirectory(), out);
                        }
                    }));
                    fromHost.add(time(() -> {
                        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar))) {
                            engine.copyToContainer(db.containerId(), in, parent);
                        }
                    }));
                    db.start();
                }
                double megabytes = Files.size(tar) / 1e6;
                double tarTotal = Stats.ofNanos(toHost).medianMillis() + Stats.ofNanos(fromHost).medianMillis();
                Stats statefulSnap = Stats.ofNanos(snapshot);
                Stats statefulRestore = Stats.ofNanos(restore);
                table.add(new ResultTable.Row(scenario, "tar through the host: docker cp out (reference)", Stats.ofNanos(toHost),
                        Stats.ofNanos(toHost).medianMillis(), mbps(megabytes, Stats.ofNanos(toHost))));
                table.add(new ResultTable.Row(scenario, "tar through the host: docker cp back (reference)", Stats.ofNanos(fromHost),
                        Stats.ofNanos(fromHost).medianMillis(), mbps(megabytes, Stats.ofNanos(fromHost))));
                table.add(new ResultTable.Row(scenario, "Stateful snapshotVolume (stop, copy, start)", statefulSnap,
                        Stats.ofNanos(toHost).medianMillis(), mbps(megabytes, statefulSnap)));
                table.add(new ResultTable.Row(scenario, "Stateful restoreVolume (stop, copy, start)", statefulRestore,
                        Stats.ofNanos(fromHost).medianMillis(), mbps(megabytes, statefulRestore)
                                + String.format(Locale.ROOT, "; round trip ×%.2f vs host tar",
                                tarTotal / (statefulSnap.medianMillis() + statefulRestore.medianMillis()))));
            } finally {
                Files.deleteIfExists(tar);
            }
        }
    }

    private static String mbps(double megabytes, Stats stats) {
        return String.format(Locale.ROOT, "%.0f MB, %.0f MB/s", megabytes, megabytes / (stats.medianMillis() / 1000));
    }
}
