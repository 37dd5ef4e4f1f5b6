package dev.stateful.bench;

import static dev.stateful.bench.Bench.sql;
import static dev.stateful.bench.Bench.time;

import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.snapshot.ResetSteps;
import dev.stateful.internal.snapshot.SnapshotStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * Measure the per-test reset the way a suite uses it: short tests back to back on a pgbench
 * database, each followed at once by {@code restore("base")}, nothing waited for between them
 * (no pause for the pool to refill). Variants, measured in one run on the same database, each
 * variant's tests back to back:
 * the default (table by table, the keys a test wrote read from a logical slot, full clone as
 * fallback), the same without decoding (each table written scanned for rows written since the
 * mark: the behaviour before), full clones only (pool of one; left out with {@code --no-clones})
 * and no reset at all (the floor).
 *
 * <p>Two kinds of short test: one that writes a few rows in small tables (a history insert and
 * updates of a teller and a branch), and pgbench's TPC-B-like transaction, which also updates a
 * row of the biggest table ({@code pgbench_accounts}).
 *
 * <p>Run with {@code mvn -B -q -pl benchmarks -am verify -Pbench -Dbench.main=dev.stateful.bench.ResetBenchmarks
 * -Dbench.args="--scale 5 --tests 40"}; {@code --scale N} is pgbench's scale (5 is about 75 MB,
 * 70 about 1 GB), {@code --tests N} the number of tests per variant, {@code --out DIR} where
 * reset-results.csv and reset-results.md go, {@code --no-clones} to skip the full-clone variant.
 */
public final class ResetBenchmarks {
    private final int scale;
    private final int tests;
    private final String image = StatefulSettings.defaultImage();
    private final ResultTable table = new ResultTable();
    private final Random random = new Random(42);

    private final boolean clonesToo;

    ResetBenchmarks(int scale, int tests, boolean clonesToo) {
        this.scale = scale;
        this.tests = tests;
        this.clonesToo = clonesToo;
    }

    /**
     * Run the scenarios and print the table.
     *
     * @param args {@code --scale N}, {@code --tests N}, {@code --out DIR}
     * @throws Exception when a scenario fails
     */
    public static void main(String[] args) throws Exception {
        int scale = 5;
        int tests = 40;
        Path out = null;
        boolean clonesToo = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Integer.parseInt(args[++i]);
                case "--tests" -> tests = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-clones" -> clonesToo = false;
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --scale N, --tests N, --out DIR or --no-clones");
            }
        }
        ResetBenchmarks bench = new ResetBenchmarks(scale, tests, clonesToo);
        bench.run();
        String header = String.format(Locale.ROOT, "Machine: %d cores, %.1f GB max heap, %s %s, Java %s; image %s; "
                        + "%d tests per variant, back to back, no pauses.",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1e9,
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                bench.image, tests);
        System.out.println(header);
        System.out.println(bench.table.markdown());
        if (out != null) {
            bench.table.write(out, "reset-results", header);
        }
    }

    void run() throws Exception {
        try (StatefulPostgres tables = StatefulPostgres.builder().nameHint("bench-reset-tables").image(image).start();
             StatefulPostgres scans = StatefulPostgres.builder().nameHint("bench-reset-scans").image(image).start();
             StatefulPostgres clones = StatefulPostgres.builder().nameHint("bench-reset-clones").image(image)
                     .tableReset(false).start()) {
            init(tables);
            init(scans);
            if (clonesToo) {
                init(clones);
            }
            String size = sql(tables, "SELECT pg_size_pretty(pg_database_size(current_database()))");
            ((SnapshotStore) scans.snapshots()).decodeChanges(false);
            tables.snapshot("base");
            scans.snapshot("base");
            if (clonesToo) {
                clones.snapshot("base");
                templateCopies(clones, size);
            }
            for (Workload workload : Workload.values()) {
                String scenario = "pgbench scale " + scale + " (" + size + "): " + workload.description;
                List<Long> floorTest = new ArrayList<>();
                List<Long> tableReset = new ArrayList<>();
                List<Long> tableTest = new ArrayList<>();
                List<ResetSteps> tableSteps = new ArrayList<>();
                List<Long> scanReset = new ArrayList<>();
                List<Long> scanTest = new ArrayList<>();
                List<ResetSteps> scanSteps = new ArrayList<>();
                List<Long> cloneReset = new ArrayList<>();
                List<Long> cloneTest = new ArrayList<>();
                // Each variant runs its tests back to back, as a suite does: a pool refill gets no
                // more time than the next test takes.
                for (int i = 0; i < tests; i++) {
                    floorTest.add(time(() -> workload.run(this, tables)));
                }
                tables.restore("base");
                // AFTER (decoding) and BEFORE (scans) alternate test by test: both see the same load.
                for (int i = 0; i < tests; i++) {
                    testAndReset(workload, tables, tableReset, tableTest, tableSteps);
                    testAndReset(workload, scans, scanReset, scanTest, scanSteps);
                }
                for (int i = 0; clonesToo && i < tests; i++) {
                    long started = System.nanoTime();
                    workload.run(this, clones);
                    cloneReset.add(time(() -> clones.restore("base")));
                    cloneTest.add(System.nanoTime() - started);
                }
                double floor = Stats.ofNanos(floorTest).medianMillis();
                table.add(new ResultTable.Row(scenario, "test without reset (reset = NONE, the floor; reference)",
                        Stats.ofNanos(floorTest), floor, "test body only"));
                table.add(new ResultTable.Row(scenario, "reset, default (keys from logical decoding; AFTER)",
                        Stats.ofNanos(tableReset), floor, "restore only"));
                steps(scenario, "AFTER", tableSteps, floor);
                table.add(new ResultTable.Row(scenario, "reset, decoding off (one scan per table written; BEFORE)",
                        Stats.ofNanos(scanReset), floor, "restore only; "
                        + ratio("AFTER vs BEFORE", Stats.ofNanos(tableReset), Stats.ofNanos(scanReset).medianMillis())));
                steps(scenario, "BEFORE", scanSteps, floor);
                if (!clonesToo) {
                    table.add(new ResultTable.Row(scenario, "test + reset, default", Stats.ofNanos(tableTest), floor,
                            ratio("per test vs floor", Stats.ofNanos(tableTest), floor)));
                    table.add(new ResultTable.Row(scenario, "test + reset, decoding off", Stats.ofNanos(scanTest), floor,
                            ratio("per test vs floor", Stats.ofNanos(scanTest), floor)));
                    continue;
                }
                table.add(new ResultTable.Row(scenario, "reset, full clone only (before; pool 1, not waited for)",
                        Stats.ofNanos(cloneReset), floor, "restore only"));
                table.add(new ResultTable.Row(scenario, "test + reset, default", Stats.ofNanos(tableTest), floor,
                        ratio("per test vs floor", Stats.ofNanos(tableTest), floor)));
                table.add(new ResultTable.Row(scenario, "test + reset, full clone only", Stats.ofNanos(cloneTest), floor,
                        ratio("per test vs floor", Stats.ofNanos(cloneTest), floor)
                                + "; " + ratio("vs default", Stats.ofNanos(cloneTest), Stats.ofNanos(tableTest).medianMillis())));
            }
        }
    }

    /**
     * A database's copy of a template as a class on a shared server would get it: {@code CREATE
     * DATABASE ... TEMPLATE} with {@code STRATEGY FILE_COPY} (a checkpoint, then a file copy) and
     * with {@code WAL_LOG} (block by block through the WAL, the default since Postgres 15).
     */
    private void templateCopies(StatefulPostgres db, String size) throws Exception {
        String template = db.database() + "__snap_base";
        String scenario = "copy of a " + size + " template database (CREATE DATABASE ... TEMPLATE)";
        List<Long> fileCopy = new ArrayList<>();
        List<Long> walLog = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            for (String strategy : List.of("FILE_COPY", "WAL_LOG")) {
                long took = time(() -> Bench.sqlIn(db, "postgres", "CREATE DATABASE bench_copy TEMPLATE " + template
                        + " STRATEGY " + strategy));
                (strategy.equals("FILE_COPY") ? fileCopy : walLog).add(took);
                Bench.sqlIn(db, "postgres", "DROP DATABASE bench_copy");
            }
        }
        double reference = Stats.ofNanos(fileCopy).medianMillis();
        table.add(new ResultTable.Row(scenario, "STRATEGY FILE_COPY (reference)", Stats.ofNanos(fileCopy), reference,
                "includes its checkpoint"));
        table.add(new ResultTable.Row(scenario, "STRATEGY WAL_LOG", Stats.ofNanos(walLog), reference,
                "writes the copy through the WAL"));
    }

    private void testAndReset(Workload workload, StatefulPostgres db, List<Long> resets, List<Long> tests,
                              List<ResetSteps> steps) throws Exception {
        long started = System.nanoTime();
        workload.run(this, db);
        resets.add(time(() -> db.restore("base")));
        tests.add(System.nanoTime() - started);
        SnapshotStore store = (SnapshotStore) db.snapshots();
        if (store.lastPath() == SnapshotStore.Path.TABLES) {
            steps.add(store.lastSteps());
        }
    }

    private void steps(String scenario, String variant, List<ResetSteps> steps, double floor) {
        stepRow(scenario, variant + " step: ending the other sessions (barrier)", steps, ResetSteps::barrier, floor);
        stepRow(scenario, variant + " step: own connection (kept open; 0 unless it was ended)", steps,
                ResetSteps::connection, floor);
        stepRow(scenario, variant + " step: reading the counters", steps, ResetSteps::counters, floor);
        stepRow(scenario, variant + " step: finding what changed (WAL flush + decoding the slot)", steps,
                ResetSteps::decode, floor);
        stepRow(scenario, variant + " step: plan (catalog hash if catalog rows were written, sequences)", steps,
                ResetSteps::plan, floor);
        stepRow(scenario, variant + " step: copy back (decoded keys, or one scan of each table written)", steps,
                ResetSteps::copy, floor);
        stepRow(scenario, variant + " step: next mark (slot advance, flush and read the counters)", steps,
                ResetSteps::mark, floor);
    }

    private void stepRow(String scenario, String variant, List<ResetSteps> steps, ToLongFunction<ResetSteps> step,
                         double floor) {
        if (steps.isEmpty()) {
            return;
        }
        List<Long> nanos = new ArrayList<>();
        steps.forEach(s -> nanos.add(step.applyAsLong(s)));
        table.add(new ResultTable.Row(scenario, variant, Stats.ofNanos(nanos), floor,
                "of the " + steps.size() + " table-level resets"));
    }

    private static String ratio(String what, Stats stats, double reference) {
        return String.format(Locale.ROOT, "%s ×%.2f", what, stats.medianMillis() / reference);
    }

    /** The short tests. */
    private enum Workload {
        SMALL_TABLES("test writes 3 rows in small tables") {
            @Override
            void run(ResetBenchmarks b, StatefulPostgres db) throws SQLException {
                int tid = 1 + b.random.nextInt(10 * b.scale);
                int bid = 1 + b.random.nextInt(b.scale);
                sql(db, "UPDATE pgbench_tellers SET tbalance = tbalance + 5 WHERE tid = " + tid
                        + "; UPDATE pgbench_branches SET bbalance = bbalance + 5 WHERE bid = " + bid
                        + "; INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (" + tid + ", " + bid
                        + ", 1, 5, now())");
            }
        },
        ISSUE("test inserts 100 rows, updates 11 rows of the biggest table, deletes a row of a small one") {
            @Override
            void run(ResetBenchmarks b, StatefulPostgres db) throws SQLException {
                int aid = 1 + b.random.nextInt(100_000 * b.scale - 100);
                int tellers = 10 * b.scale;
                sql(db, "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) SELECT 1 + g % " + (tellers - 1)
                        + ", 1, g, 5, now() FROM generate_series(1, 100) g"
                        + "; UPDATE pgbench_accounts SET abalance = abalance + 5 WHERE aid BETWEEN " + aid + " AND " + (aid + 10)
                        + "; DELETE FROM pgbench_tellers WHERE tid = " + tellers);
            }
        },
        TPCB("TPC-B-like test, also updates one row of the biggest table") {
            @Override
            void run(ResetBenchmarks b, StatefulPostgres db) throws SQLException {
                int aid = 1 + b.random.nextInt(100_000 * b.scale);
                int tid = 1 + b.random.nextInt(10 * b.scale);
                int bid = 1 + b.random.nextInt(b.scale);
                sql(db, "UPDATE pgbench_accounts SET abalance = abalance + 5 WHERE aid = " + aid
                        + "; UPDATE pgbench_tellers SET tbalance = tbalance + 5 WHERE tid = " + tid
                        + "; UPDATE pgbench_branches SET bbalance = bbalance + 5 WHERE bid = " + bid
                        + "; INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (" + tid + ", " + bid
                        + ", " + aid + ", 5, now())");
            }
        };

        private final String description;

        Workload(String description) {
            this.description = description;
        }

        abstract void run(ResetBenchmarks b, StatefulPostgres db) throws SQLException;
    }

    private void init(StatefulPostgres db) {
        ExecResult init = DockerEngine.get().exec(db.containerId(), "postgres",
                List.of("pgbench", "-i", "-q", "--foreign-keys", "-s", Integer.toString(scale), "-U", db.username(), db.database()));
        if (!init.succeeded()) {
            throw new IllegalStateException("pgbench -i failed: " + init.stderrTail(10));
        }
    }
}
