package dev.stateful.bench;

import static dev.stateful.bench.Bench.sql;

import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Restore a dump of at least 1 GB with Stateful beside {@code pg_restore} run by hand in the
 * same container, and measure the JVM's peak heap while Stateful streams it.
 *
 * <p>Run with {@code mvn -B -pl benchmarks -am verify -Pbench-dumps -DskipTests} (the JVM runs
 * with {@code -Xmx64m}, so the restore must stream); options through {@code -Ddumpbench.args}:
 * {@code --scale N} (pgbench scale of the data: about 10 MB of dump per unit, default 110),
 * {@code --out DIR}.
 */
public final class DumpBenchmarks {
    private static final String IN_CONTAINER = "/tmp/stateful-bench/bench.dump";

    private DumpBenchmarks() {
    }

    /**
     * Run the scenario and print its table.
     *
     * @param args {@code --scale N}, {@code --out DIR}
     * @throws Exception when a step fails
     */
    public static void main(String[] args) throws Exception {
        int scale = 110;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --scale N or --out DIR");
            }
        }
        String image = StatefulSettings.defaultImage();
        DockerEngine engine = DockerEngine.get();
        ResultTable table = new ResultTable();
        Path host = Files.createTempFile("stateful-bench-", ".dump");
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-dump").image(image).start()) {
            String id = db.containerId();
            run(engine, id, List.of("pgbench", "--initialize", "--init-steps=dtGvp", "--scale=" + scale,
                    "--quiet", "--username=" + db.username(), db.database()));
            run(engine, id, List.of("mkdir", "-p", "/tmp/stateful-bench"));
            run(engine, id, List.of("pg_dump", "--username=" + db.username(), "--dbname=" + db.database(),
                    "--format=custom", "--compress=0", "--file=" + IN_CONTAINER));
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(host), 1 << 16)) {
                ExecResult cat = engine.exec(id, "postgres", List.of("cat", IN_CONTAINER), file);
                check(cat, "cat");
            }
            long bytes = Files.size(host);
            String jobs = engine.exec(id, "postgres", List.of("nproc")).stdoutText().strip();
            int n = RestoreOptions.defaultJobs(Integer.parseInt(jobs));
            String note = String.format(Locale.ROOT, "%.2f GiB custom dump (-Z0), pgbench scale %d, %d jobs",
                    bytes / (1024.0 * 1024 * 1024), scale, n);

            List<Long> byHand = new ArrayList<>();
            byHand.add(byHand(engine, db, n));
            run(engine, id, List.of("psql", "--username=" + db.username(), "--dbname=postgres",
                    "--command=CHECKPOINT"));
            System.gc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long statefulStart = System.nanoTime();
            db.dumps().restore(host, RestoreOptions.defaults().withAnalyze(false));
            long stateful = System.nanoTime() - statefulStart;
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            // Once more after Stateful's run, so neither side alone profits from a quieter moment.
            byHand.add(byHand(engine, db, n));
            run(engine, id, List.of("rm", "-f", IN_CONTAINER));
            long max = Runtime.getRuntime().maxMemory();
            String rows = sql(db, "SELECT count(*) FROM pgbench_accounts");

            Stats reference = Stats.ofNanos(byHand);
            table.add(new ResultTable.Row("restore a dump of " + String.format(Locale.ROOT, "%.2f GiB",
                    bytes / (1024.0 * 1024 * 1024)), "pg_restore by hand, file already in the container (reference)",
                    reference, reference.medianMillis(), note));
            table.add(new ResultTable.Row("restore a dump of " + String.format(Locale.ROOT, "%.2f GiB",
                    bytes / (1024.0 * 1024 * 1024)), "Stateful restoreDump: stream from the host + pg_restore",
                    Stats.ofNanos(List.of(stateful)), reference.medianMillis(), String.format(Locale.ROOT,
                            "peak heap %.1f MiB of -Xmx %.0f MiB; %s accounts restored", peak / (1024.0 * 1024),
                            max / (1024.0 * 1024), rows)));
            String header = String.format(Locale.ROOT, "Machine: %d cores (engine: %s), Java %s; image %s.",
                    Runtime.getRuntime().availableProcessors(), jobs, System.getProperty("java.version"), image);
            System.out.println(header);
            System.out.println(table.markdown());
            if (out != null) {
                Files.createDirectories(out);
                Files.writeString(out.resolve("dump-results.md"), header + "\n\n" + table.markdown());
            }
        } finally {
            Files.deleteIfExists(host);
        }
    }

    /** Restore the dump already in the container into a new database with pg_restore, as a user would by hand. */
    private static long byHand(DockerEngine engine, StatefulPostgres db, int jobs) {
        String id = db.containerId();
        run(engine, id, List.of("psql", "--username=" + db.username(), "--dbname=postgres", "--command=CHECKPOINT"));
        run(engine, id, List.of("createdb", "--username=" + db.username(), "byhand"));
        long start = System.nanoTime();
        run(engine, id, List.of("pg_restore", "--username=" + db.username(), "--dbname=byhand", "--no-owner",
                "--no-privileges", "--jobs=" + jobs, IN_CONTAINER));
        long took = System.nanoTime() - start;
        run(engine, id, List.of("dropdb", "--username=" + db.username(), "byhand"));
        return took;
    }

    private static void run(DockerEngine engine, String id, List<String> argv) {
        check(engine.exec(id, "postgres", argv), argv.get(0));
    }

    private static void check(ExecResult result, String what) {
        if (!result.succeeded()) {
            throw new IllegalStateException(what + " exited with " + result.exitCode() + ": " + result.stderrTail(10));
        }
    }
}
