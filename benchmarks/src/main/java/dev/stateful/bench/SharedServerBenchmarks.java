package dev.stateful.bench;

import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measure each way of making a class's database on the shared server from a prepared state's
 * template database, side by side on one server, for templates of several sizes:
 * <ul>
 *   <li>{@code FILE_COPY}: {@code CREATE DATABASE ... TEMPLATE ... STRATEGY FILE_COPY};</li>
 *   <li>{@code WAL_LOG}: the same with {@code STRATEGY WAL_LOG} (Postgres 15's default);</li>
 *   <li>copy + baseline: what a class paid before databases were made ahead, a {@code FILE_COPY}
 *       of the template and one of the class database for its baseline snapshot;</li>
 *   <li>made ahead: the class database, its baseline snapshot and its reference copy made in the
 *       background (timed apart, as "made ahead (background)"), then taken by three renames in
 *       one transaction, the check that nothing ran in it, and the first connection to it.</li>
 * </ul>
 * The template is synthetic (tables with a primary key, padded rows, to the size asked): a copy's
 * cost depends on the bytes and files copied, not on what the rows mean.
 *
 * <p>Run with {@code mvn -B -q -pl benchmarks -am verify -DskipTests -Pbench
 * -Dbench.main=dev.stateful.bench.SharedServerBenchmarks -Dbench.args="--sizes-mb 100,1400 --reps 3"}.
 */
public final class SharedServerBenchmarks {
    private static final String TEMPLATE = "bench_template";
    private static final int TABLES = 8;
    private static final String TAKE_RENAMES = "  of which: three renames, one transaction";
    private static final String TAKE_CHECK = "  of which: the check (no session, no transaction)";
    private static final String TAKE_CONNECT = "  of which: first connection to it, counters read";

    private final List<Integer> sizesMb;
    private final int reps;
    private final String image = StatefulSettings.defaultImage();
    private final ResultTable table = new ResultTable();

    SharedServerBenchmarks(List<Integer> sizesMb, int reps) {
        this.sizesMb = sizesMb;
        this.reps = reps;
    }

    /**
     * Run the variants and print the table.
     *
     * @param args {@code --sizes-mb A,B} (100,1400), {@code --reps N} (3), {@code --out DIR}
     * @throws Exception when a variant fails
     */
    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(100, 1400);
        int reps = 3;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes-mb" -> sizes = java.util.Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --sizes-mb A,B, --reps N or --out DIR");
            }
        }
        SharedServerBenchmarks bench = new SharedServerBenchmarks(sizes, reps);
        String load = LoadAverage.now();
        bench.run();
        String header = String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s; image %s; %d reps; load average "
                        + "%s at the start, %s at the end. Ratio: median of FILE_COPY / median of the variant (above 1: faster than FILE_COPY).",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), bench.image, reps, load, LoadAverage.now());
        System.out.println(header);
        System.out.println(bench.table.markdown());
        if (out != null) {
            bench.table.write(out, "shared-server-results", header);
        }
    }

    void run() throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-shared").start();
             Connection admin = connect(db, "postgres"); Statement s = admin.createStatement()) {
            for (int mb : sizesMb) {
                long bytes = fill(db, s, mb);
                String size = String.format(Locale.ROOT, "%d MB template", bytes / 1_000_000);
                Map<String, List<Long>> times = new LinkedHashMap<>();
                for (String v : List.of("FILE_COPY", "WAL_LOG", "copy + baseline (before)", "made ahead (background)",
                        "made ahead: take", TAKE_RENAMES, TAKE_CHECK, TAKE_CONNECT)) {
                    times.put(v, new ArrayList<>());
                }
                for (int rep = 0; rep < reps; rep++) {
                    times.get("FILE_COPY").add(Bench.time(() -> copy(s, "c_file", TEMPLATE, "FILE_COPY")));
                    drop(s, "c_file");
                    times.get("WAL_LOG").add(Bench.time(() -> copy(s, "c_wal", TEMPLATE, "WAL_LOG")));
                    drop(s, "c_wal");
                    times.get("copy + baseline (before)").add(Bench.time(() -> {
                        copy(s, "c_old", TEMPLATE, "FILE_COPY");
                        copy(s, "c_old__snap", "c_old", "FILE_COPY");
                    }));
                    drop(s, "c_old");
                    drop(s, "c_old__snap");
                    times.get("made ahead (background)").add(Bench.time(() -> {
                        copy(s, "r_1__snap", TEMPLATE, "FILE_COPY");
                        copy(s, "r_1__ref", TEMPLATE, "FILE_COPY");
                        copy(s, "r_1", TEMPLATE, "FILE_COPY");
                    }));
                    times.get("made ahead: take").add(Bench.time(() -> take(db, admin, s, times)));
                    for (String d : List.of("c_new", "c_new__snap", "c_new__ref")) {
                        drop(s, d);
                    }
                }
                double fileCopy = Stats.ofNanos(times.get("FILE_COPY")).medianMillis();
                times.forEach((variant, nanos) -> table.add(new ResultTable.Row(size, variant, Stats.ofNanos(nanos),
                        fileCopy, "")));
                drop(s, TEMPLATE);
            }
        }
    }

    /** Claim a database made ahead: three renames in one transaction, the check, the first connection. */
    private static void take(StatefulPostgres db, Connection admin, Statement s, Map<String, List<Long>> times)
            throws SQLException {
        long started = System.nanoTime();
        admin.setAutoCommit(false);
        s.execute("ALTER DATABASE r_1 RENAME TO c_new");
        s.execute("ALTER DATABASE r_1__snap RENAME TO c_new__snap");
        s.execute("ALTER DATABASE r_1__ref RENAME TO c_new__ref");
        admin.commit();
        admin.setAutoCommit(true);
        long renamed = System.nanoTime();
        times.get(TAKE_RENAMES).add(renamed - started);
        try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = 'c_new'), "
                + "(SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'c_new')")) {
            rs.next();
        }
        long checked = System.nanoTime();
        times.get(TAKE_CHECK).add(checked - renamed);
        try (Connection c = connect(db, "c_new"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables")) {
            rs.next();
        }
        times.get(TAKE_CONNECT).add(System.nanoTime() - checked);
    }

    /** Build the template: tables with a primary key and padded rows, until it has the size asked. */
    private static long fill(StatefulPostgres db, Statement s, int mb) throws SQLException {
        drop(s, TEMPLATE);
        s.execute("CREATE DATABASE " + TEMPLATE);
        try (Connection c = connect(db, TEMPLATE); Statement t = c.createStatement()) {
            for (int i = 0; i < TABLES; i++) {
                t.execute("CREATE TABLE t" + i + " (id bigint PRIMARY KEY, pad text, n int)");
            }
            long rowsPerChunk = 50_000;
            long next = 1;
            while (size(t) < mb * 1_000_000L) {
                for (int i = 0; i < TABLES; i++) {
                    t.execute("INSERT INTO t" + i + " SELECT g, md5(g::text) || repeat('x', 200), g % 1000 "
                            + "FROM generate_series(" + next + ", " + (next + rowsPerChunk / TABLES - 1) + ") g");
                }
                next += rowsPerChunk / TABLES;
            }
            t.execute("VACUUM ANALYZE");
            return size(t);
        }
    }

    private static long size(Statement t) throws SQLException {
        try (ResultSet rs = t.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void copy(Statement s, String target, String template, String strategy) throws SQLException {
        s.execute("CREATE DATABASE " + target + " TEMPLATE " + template + " STRATEGY " + strategy);
    }

    private static void drop(Statement s, String database) throws SQLException {
        s.execute("DROP DATABASE IF EXISTS " + database);
    }

    private static Connection connect(StatefulPostgres db, String database) throws SQLException {
        String url = db.jdbcUrl();
        return DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + database, db.username(),
                db.password());
    }
}
