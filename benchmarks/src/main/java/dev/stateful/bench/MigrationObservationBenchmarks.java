package dev.stateful.bench;

import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.pg.DumpCommands;
import dev.stateful.internal.pg.PgCommands;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.migrate.Migrations;
import dev.stateful.migrate.SafetyObservation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measure what observing migrations costs (issue 13's budget: a set that runs in 10 s without
 * observation runs in at most 11 s with it): the same migration sets, run alternately with and
 * without observation on the same database reset to the same snapshot, timed around
 * {@code migrate()}; the ratio of the medians is printed.
 *
 * <p>Two sets: 40 small migrations (a table each, 1,000 rows, an index), the worst case for
 * per-migration fixed costs; and 8 big ones on pgbench_accounts (100,000 rows per pgbench scale
 * unit; scale 5 by default): a rewrite, an index, an index built concurrently, SET NOT NULL, a
 * CHECK NOT VALID and its validation, a constant default, a foreign key.
 *
 * <p>Run with {@code mvn -B -q -pl benchmarks -am verify -DskipTests -Pbench
 * -Dbench.main=dev.stateful.bench.MigrationObservationBenchmarks -Dbench.args="--rounds 5"};
 * {@code --rounds N} is the number of runs of each set per variant, {@code --big-scale N} the
 * pgbench scale of the big set (30 makes the plain run take about 10 s on 2 cores, the
 * scale of the budget), {@code --sets small,big} which sets run, {@code --out DIR}
 * where migration-observation-results.csv and .md go.
 */
public final class MigrationObservationBenchmarks {
    private static final Map<String, String> BIG = Map.of(
            "V1__rewrite.sql", "ALTER TABLE pgbench_accounts ADD COLUMN bucket int DEFAULT (random() * 10)::int;",
            "V2__index.sql", "CREATE INDEX accounts_bid_idx ON pgbench_accounts (bid);",
            "V3__index_concurrently.sql", "CREATE INDEX CONCURRENTLY accounts_abalance_cic ON pgbench_accounts (abalance);",
            "V4__set_not_null.sql", "ALTER TABLE pgbench_accounts ALTER COLUMN bid SET NOT NULL;",
            "V5__check_not_valid.sql", "ALTER TABLE pgbench_accounts ADD CONSTRAINT positive_aid CHECK (aid > 0) NOT VALID;",
            "V6__validate.sql", "ALTER TABLE pgbench_accounts VALIDATE CONSTRAINT positive_aid;",
            "V7__constant_default.sql", "ALTER TABLE pgbench_accounts ADD COLUMN status int DEFAULT 7;",
            "V8__foreign_key.sql", "ALTER TABLE pgbench_tellers ADD CONSTRAINT tellers_bid_fk2 FOREIGN KEY (bid) "
                    + "REFERENCES pgbench_branches (bid);");

    private final int rounds;
    private final int bigScale;
    private final List<String> sets;
    private final String image = StatefulSettings.defaultImage();
    private final ResultTable table = new ResultTable();

    MigrationObservationBenchmarks(int rounds, int bigScale, List<String> sets) {
        this.rounds = rounds;
        this.bigScale = bigScale;
        this.sets = sets;
    }

    /**
     * Run both sets and print the table.
     *
     * @param args {@code --rounds N}, {@code --big-scale N}, {@code --sets small,big}, {@code --out DIR}
     * @throws Exception when a migration fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = 5;
        int bigScale = 5;
        List<String> sets = List.of("small", "big");
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--big-scale" -> bigScale = Integer.parseInt(args[++i]);
                case "--sets" -> sets = List.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --rounds N, --big-scale N, --sets small,big or --out DIR");
            }
        }
        MigrationObservationBenchmarks bench = new MigrationObservationBenchmarks(rounds, bigScale, sets);
        String loadBefore = LoadAverage.now();
        bench.run();
        String header = String.format(Locale.ROOT, "Machine: %d cores (load average %s at the start, %s at the end), "
                        + "%s %s, Java %s; image %s; %d runs per variant after one warm-up each, alternating observed "
                        + "and plain; big set at pgbench scale %d.", Runtime.getRuntime().availableProcessors(),
                loadBefore, LoadAverage.now(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), bench.image, rounds, bigScale);
        System.out.println(header);
        System.out.println(bench.table.markdown());
        if (out != null) {
            bench.table.write(out, "migration-observation-results", header);
        }
    }

    void run() throws Exception {
        Path dir = Files.createTempDirectory("stateful-bench-migrations");
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-migration-observation").image(image)
                .start()) {
            Path small = dir.resolve("small");
            Files.createDirectories(small);
            for (int i = 1; i <= 40; i++) {
                Files.writeString(small.resolve("V" + i + "__table_" + i + ".sql"), "CREATE TABLE t" + i
                        + " (id int PRIMARY KEY, v text);\nINSERT INTO t" + i + " SELECT g, md5(g::text) FROM "
                        + "generate_series(1, 1000) g;\nCREATE INDEX t" + i + "_v ON t" + i + " (v);\n");
            }
            db.snapshot("empty");
            if (sets.contains("small")) {
                measure(db, "40 small migrations (a table, 1,000 rows, an index each)", "empty", small, false);
            }
            if (!sets.contains("big")) {
                return;
            }
            db.restore("empty");
            ExecResult init = DockerEngine.get().exec(db.containerId(), PgCommands.OS_USER,
                    DumpCommands.pgbenchInit(db.username(), db.database(), bigScale));
            if (!init.succeeded()) {
                throw new IllegalStateException("pgbench -i failed: " + init.stderrTail(20));
            }
            db.snapshot("pgbench");
            Path big = dir.resolve("big");
            Files.createDirectories(big);
            for (Map.Entry<String, String> e : BIG.entrySet()) {
                Files.writeString(big.resolve(e.getKey()), e.getValue() + "\n");
            }
            measure(db, String.format(Locale.ROOT, "8 migrations on pgbench_accounts, scale %d (%,d rows)", bigScale,
                    bigScale * 100_000L), "pgbench", big, true);
        } finally {
            deleteTree(dir);
        }
    }

    private void measure(StatefulPostgres db, String scenario, String snapshot, Path set, boolean baseline)
            throws IOException {
        MigrationSettings settings = MigrationSettings.defaults().withLocations("filesystem:" + set);
        if (baseline) {
            settings = settings.withBaselineOnMigrate(true).withBaselineVersion("0");
        }
        Migrations plain = db.migrations().withSettings(settings).withObservation(SafetyObservation.off());
        Migrations observed = db.migrations().withSettings(settings).withObservation(SafetyObservation.defaults());
        List<Long> plainNanos = new ArrayList<>();
        List<Long> observedNanos = new ArrayList<>();
        int hazards = 0;
        // One warm-up run each, then alternate so that load drifts hit both variants alike.
        for (int i = -1; i < rounds; i++) {
            db.restore(snapshot);
            long p = time(plain);
            db.restore(snapshot);
            long started = System.nanoTime();
            MigrationResult r = observed.migrate();
            long o = System.nanoTime() - started;
            hazards = r.hazards().size();
            if (i >= 0) {
                plainNanos.add(p);
                observedNanos.add(o);
            }
        }
        Stats p = Stats.ofNanos(plainNanos);
        Stats o = Stats.ofNanos(observedNanos);
        table.add(new ResultTable.Row(scenario, "plain Flyway (observation off; reference)", p, p.medianMillis(), ""));
        table.add(new ResultTable.Row(scenario, "observed (locks, probes, catalog, DEBUG1)", o, p.medianMillis(),
                String.format(Locale.ROOT, "observed/plain ×%.3f; %d hazard(s) found", o.medianMillis() / p.medianMillis(),
                        hazards)));
    }

    private static long time(Migrations migrations) {
        long started = System.nanoTime();
        migrations.migrate();
        return System.nanoTime() - started;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
