package dev.stateful.bench;

import dev.stateful.StatefulSettings;
import dev.stateful.stack.StatefulStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The shop stack (Postgres, Redis with appendonly, uploads and logs volumes) measured side by side:
 * {@link StatefulStack} against doing the same with {@code docker-compose} (1.29) and {@code docker run}
 * commands, as an operator's script would: start until every service is healthy, reset to a
 * baseline per test (compose: {@code down}, copy the baseline volumes back, {@code up}), down/up,
 * backup and restore of every volume.
 *
 * <p>Run with {@code mvn -B -q -pl benchmarks -am verify -DskipTests -Pbench
 * -Dbench.main=dev.stateful.bench.StackBenchmarks -Dbench.args="--reps 5"}; {@code --compose FILE}
 * (default the example's {@code shop/docker-compose.yml}), {@code --out DIR}.
 */
public final class StackBenchmarks {
    private static final String[] SERVICES = {"orders-db", "cache", "app"};
    private static final String[] VOLUMES = {"orders", "carts", "uploads", "logs"};
    private final Path compose;
    private final int reps;
    private final ResultTable table = new ResultTable();
    private final Path work;

    StackBenchmarks(Path compose, int reps) throws IOException {
        this.compose = compose.toAbsolutePath();
        this.reps = reps;
        this.work = Files.createTempDirectory("stateful-stack-bench");
    }

    /**
     * Run the scenarios and print the table.
     *
     * @param args {@code --reps N}, {@code --compose FILE}, {@code --out DIR}
     * @throws Exception when a scenario fails
     */
    public static void main(String[] args) throws Exception {
        Path compose = Path.of("example-tests/src/test/resources/shop/docker-compose.yml");
        if (!Files.exists(compose)) {
            compose = Path.of("..").resolve(compose);
        }
        int reps = 5;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--compose" -> compose = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --reps N, --compose FILE or --out DIR");
            }
        }
        StackBenchmarks bench = new StackBenchmarks(compose, reps);
        bench.run();
        String header = String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s; the shop stack; %d repetitions; "
                + "docker-compose 1.29 and docker run beside StatefulStack, one run.",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), reps);
        System.out.println(header);
        System.out.println(bench.table.markdown());
        if (out != null) {
            bench.table.write(out, "stack-results", header);
        }
    }

    void run() throws Exception {
        List<Long> startC = new ArrayList<>();
        List<Long> resetC = new ArrayList<>();
        List<Long> downUpC = new ArrayList<>();
        List<Long> backupC = new ArrayList<>();
        List<Long> restoreC = new ArrayList<>();
        List<Long> startS = new ArrayList<>();
        List<Long> resetS = new ArrayList<>();
        List<Long> downUpS = new ArrayList<>();
        List<Long> backupS = new ArrayList<>();
        List<Long> restoreS = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            String project = "statefulbench" + r;
            startC.add(time(() -> composeUp(project)));
            write(project);
            composeBaseline(project);
            resetC.add(time(() -> composeReset(project)));
            downUpC.add(time(() -> {
                compose(project, "down");
                composeUp(project);
            }));
            Path backupDir = Files.createDirectories(work.resolve(project + "-cli"));
            backupC.add(time(() -> composeBackup(project, backupDir)));
            restoreC.add(time(() -> composeRestore(project, backupDir)));
            compose(project, "down", "-v");
            for (String v : VOLUMES) {
                run("docker", "volume", "rm", "-f", project + "_" + v + "_base");
            }

            long[] t = new long[1];
            StatefulStack stack = null;
            try {
                t[0] = System.nanoTime();
                stack = StatefulStack.fromCompose(compose).nameHint("bench").start();
                startS.add(System.nanoTime() - t[0]);
                StatefulStack s = stack;
                s.service("app").exec("sh", "-c", "echo PNG > /srv/uploads/a.png");
                s.takeBaseline();
                s.service("app").exec("sh", "-c", "echo more > /srv/uploads/b.png");
                resetS.add(time(s::resetToBaseline));
                downUpS.add(time(() -> {
                    s.down();
                    s.up();
                }));
                Path backup = work.resolve(project + "-stateful");
                backupS.add(time(() -> s.backup(backup)));
                restoreS.add(time(() -> s.restoreBackup(backup)));
            } finally {
                if (stack != null) {
                    stack.close();
                }
            }
        }
        add("start, every service healthy", startC, startS);
        add("reset to the baseline per test", resetC, resetS);
        add("down, then up", downUpC, downUpS);
        add("backup of every volume", backupC, backupS);
        add("restore of every volume", restoreC, restoreS);
    }

    private void add(String scenario, List<Long> cli, List<Long> stateful) {
        Stats reference = Stats.ofNanos(cli);
        table.add(new ResultTable.Row(scenario, "docker-compose + docker run", reference, reference.medianMillis(), ""));
        table.add(new ResultTable.Row(scenario, "StatefulStack", Stats.ofNanos(stateful), reference.medianMillis(), ""));
    }

    private void composeUp(String project) throws Exception {
        compose(project, "up", "-d");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (String service : new String[] {"orders-db", "cache"}) {
            String id = run("docker", "ps", "-q", "--filter", "label=com.docker.compose.project=" + project,
                    "--filter", "label=com.docker.compose.service=" + service).strip();
            while (!run("docker", "inspect", "-f", "{{.State.Health.Status}}", id).strip().equals("healthy")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(service + " of " + project + " not healthy in 120 s");
                }
                Thread.sleep(100);
            }
        }
    }

    private void write(String project) throws Exception {
        run("docker", "exec", project + "_app_1", "sh", "-c", "echo PNG > /srv/uploads/a.png");
    }

    private static String image() {
        return StatefulSettings.defaultImage();
    }

    private void composeBaseline(String project) throws Exception {
        compose(project, "stop");
        for (String v : VOLUMES) {
            run("docker", "run", "--rm", "-v", project + "_" + v + ":/from", "-v", project + "_" + v + "_base:/to",
                    image(), "cp", "-a", "/from/.", "/to/");
        }
        composeUp(project);
    }

    private void composeReset(String project) throws Exception {
        compose(project, "down");
        for (String v : VOLUMES) {
            run("docker", "run", "--rm", "-v", project + "_" + v + "_base:/from", "-v", project + "_" + v + ":/to",
                    image(), "sh", "-c", "find /to -mindepth 1 -delete && cp -a /from/. /to/");
        }
        composeUp(project);
    }

    private void composeBackup(String project, Path dir) throws Exception {
        compose(project, "stop");
        for (String v : VOLUMES) {
            run("docker", "run", "--rm", "-v", project + "_" + v + ":/v:ro", "-v", dir + ":/backup", image(),
                    "tar", "cf", "/backup/" + v + ".tar", "-C", "/v", ".");
        }
        List<String> sums = new ArrayList<>(List.of("sha256sum"));
        for (String v : VOLUMES) {
            sums.add(v + ".tar");
        }
        Files.writeString(dir.resolve("SHA256SUMS"), runIn(dir, sums.toArray(String[]::new)));
        compose(project, "start");
        composeUp(project);
    }

    private void composeRestore(String project, Path dir) throws Exception {
        runIn(dir, "sha256sum", "-c", "SHA256SUMS");
        compose(project, "stop");
        for (String v : VOLUMES) {
            run("docker", "run", "--rm", "-v", project + "_" + v + ":/v", "-v", dir + ":/backup:ro", image(), "sh",
                    "-c", "find /v -mindepth 1 -delete && tar xf /backup/" + v + ".tar -C /v");
        }
        compose(project, "start");
        composeUp(project);
    }

    private void compose(String project, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("docker-compose", "-p", project, "-f", compose.toString()));
        argv.addAll(List.of(args));
        run(argv.toArray(String[]::new));
    }

    private static String run(String... argv) throws Exception {
        return runIn(null, argv);
    }

    private static String runIn(Path dir, String... argv) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(dir == null);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static long time(Bench.Action action) throws Exception {
        return Bench.time(action);
    }
}
