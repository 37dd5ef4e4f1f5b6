package dev.stateful.bench;

import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.cache.StateCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measure what a class from the cross-run state cache costs before its first test runs, the way
 * the extension does it: the handle is started from the cache entry and the baseline snapshot is
 * taken. Beside it, in the same run, the cold path (start, restore the dump, migrate, baseline)
 * as the reference. Closing the handle is not counted: it happens after the class. Prints the
 * phases (start from the cache, baseline) and the peak JVM heap.
 *
 * <p>Run with {@code mvn -B -q -pl benchmarks -am verify -DskipTests -Pbench
 * -Dbench.main=dev.stateful.bench.CacheHitBenchmarks -Dbench.args="--scale 30 --reps 5"}.
 */
public final class CacheHitBenchmarks {
    private static final String BASELINE = "stateful_baseline";

    private final double scale;
    private final int reps;
    private final String image = StatefulSettings.defaultImage();
    private final ResultTable table = new ResultTable();
    private final HeapPeak heap = new HeapPeak();

    CacheHitBenchmarks(double scale, int reps) {
        this.scale = scale;
        this.reps = reps;
    }

    /**
     * Run the variants and print the table.
     *
     * @param args {@code --scale X} (realistic dump scale, 30), {@code --reps N} (5), {@code --out DIR}
     * @throws Exception when a variant fails
     */
    public static void main(String[] args) throws Exception {
        double scale = 30;
        int reps = 5;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --scale X, --reps N or --out DIR");
            }
        }
        CacheHitBenchmarks bench = new CacheHitBenchmarks(scale, reps);
        bench.run();
        String header = String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s; image %s; realistic scale %s, %d reps.",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), bench.image, scale, reps);
        System.out.println(header);
        System.out.println(bench.table.markdown());
        if (out != null) {
            bench.table.write(out, "cache-hit-results", header);
        }
    }

    void run() throws Exception {
        StateCache off = new StateCache(CacheMode.OFF, StateCache.DEFAULT_MAX_ENTRIES);
        StateCache cache = new StateCache(CacheMode.READWRITE, StateCache.DEFAULT_MAX_ENTRIES);
        List<Long> cold = new ArrayList<>();
        List<Long> hit = new ArrayList<>();
        List<Long> hitStart = new ArrayList<>();
        List<Long> hitBaseline = new ArrayList<>();
        String size;
        Path dump;
        try (RealisticState state = new RealisticState(scale, image)) {
            dump = state.dump();
            String key = state.key();
            try (StatefulPostgres warm = StatefulPostgres.builder().nameHint("bench-hit-warm").image(image).build()) {
                cache.start(warm, key, state.buildOn(warm));
                size = Bench.sql(warm, "SELECT pg_size_pretty(sum(pg_database_size(datname))) FROM pg_database");
            }
            heap.start();
            for (int i = 0; i < reps; i++) {
                try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-hit-cold").image(image).build()) {
                    cold.add(Bench.time(() -> {
                        off.start(db, key, state.buildOn(db));
                        db.snapshot(BASELINE);
                    }));
                }
                try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-hit").image(image).build()) {
                    long started = System.nanoTime();
                    if (!cache.start(db, key, state.buildOn(db))) {
                        throw new IllegalStateException("expected a cache hit");
                    }
                    long ready = System.nanoTime();
                    db.snapshot(BASELINE);
                    long done = System.nanoTime();
                    hit.add(done - started);
                    hitStart.add(ready - started);
                    hitBaseline.add(done - ready);
                }
            }
        } finally {
            heap.stop();
        }
        String scenario = "first test of a class: realistic dump (" + Files.size(dump) / 1_000_000
                + " MB) + migrations V2..V5, " + size + " on the server";
        double reference = Stats.ofNanos(cold).medianMillis();
        table.add(new ResultTable.Row(scenario, "cold: start + restore + migrate + baseline (reference)",
                Stats.ofNanos(cold), reference, "cache off"));
        table.add(new ResultTable.Row(scenario, "cache hit: start from the cached state + baseline",
                Stats.ofNanos(hit), reference, String.format(Locale.ROOT,
                        "start from the cache median %.0f ms, baseline %.0f ms; peak heap %d MB (whole run)",
                        Stats.ofNanos(hitStart).medianMillis(), Stats.ofNanos(hitBaseline).medianMillis(),
                        heap.peakBytes() / 1_000_000)));
    }
}
