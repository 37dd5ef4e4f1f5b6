package dev.stateful.drill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.stateful.stack.StackDrill;
import dev.stateful.stack.StackDrillReport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --compose FILE --project NAME} against a live project brought up by Debian's
 * docker-compose 1.29 exactly as an operator would: every volume backed up with the services
 * paused, restored into new volumes, compared, checked; the live project keeps its data and runs.
 */
@Tag("docker")
class ComposeDrillTest {
    private static final Path SHOP = Path.of("../example-tests/src/test/resources/shop/docker-compose.yml").toAbsolutePath().normalize();

    @Test
    void drillsALiveComposeProjectAndLeavesItRunning(@TempDir Path reports) throws Exception {
        String project = "statefuldrill" + Long.toHexString(System.nanoTime() & 0xffffff);
        try {
            compose(project, "up", "-d");
            awaitHealthy(project + "_orders-db_1");
            awaitHealthy(project + "_cache_1");
            run("docker", "exec", project + "_orders-db_1", "psql", "-U", "shop", "-d", "orders", "-c",
                    "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1), (2)");
            run("docker", "exec", project + "_cache_1", "redis-cli", "HSET", "cart:7", "sku-1", "2");
            run("docker", "exec", project + "_app_1", "sh", "-c", "echo PNG > /srv/uploads/sku-1.png");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = DrillMain.run(new String[] {"--compose", SHOP.toString(), "--project", project,
                "--check", "SELECT count(*) = 2 FROM orders", "--report", reports.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            String text = out.toString(StandardCharsets.UTF_8);
            System.out.println(text);
            assertThat(exit).as(text + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(text).contains("PASSED", "the live project was paused for ", "backup      orders-db",
                    "backup      cache", "backup      app", "restore     cache", "fingerprint orders-db",
                    "live project: 1 table, 2 rows", "restored copy: 1 table, 2 rows", "compare     cache",
                    "service orders-db      postgres identical (live: 1 table, 2 rows; restored: 1 table, 2 rows)",
                    "service cache          redis    identical (live: 1 entries; restored: 1 entries)",
                    "service app            volumes  identical", "check       orders-db",
                    "SELECT count(*) = 2 FROM orders -> true");
            assertThat(reports.resolve("report.txt")).exists();
            String json = Files.readString(reports.resolve("report.json"));
            assertThat(json).contains("\"kind\": \"stack\"", "\"project\": \"" + project + "\"", "\"passed\": true",
                    "\"pausedMillis\": ", "{\"name\": \"backup\", \"service\": \"cache\", \"millis\": ",
                    "{\"name\": \"restore\", \"service\": \"orders-db\", \"millis\": ",
                    "{\"service\": \"cache\", \"store\": \"redis\", \"identical\": true, \"live\": \"1 entries\", "
                            + "\"restored\": \"1 entries\", \"differences\": []}",
                    "{\"sql\": \"SELECT count(*) = 2 FROM orders\", \"passed\": true, \"detail\": \"true\"}");
            assertThat(JsonShape.isObject(json)).as(json).isTrue();
            String html = Files.readString(reports.resolve("report.html"));
            assertThat(html).contains("<h1 id=\"verdict\" class=\"passed\">Stack drill of " + project + " passed</h1>",
                    "The live project was paused for <strong id=\"paused\">",
                    "<tr><td>orders-db</td><td>postgres</td><td>1 table, 2 rows</td><td>1 table, 2 rows</td>"
                            + "<td class=\"ok\">identical</td></tr>",
                    "<tr><td>backup</td><td>app</td>");

            awaitHealthy(project + "_orders-db_1");
            assertThat(run("docker", "exec", project + "_orders-db_1", "psql", "-U", "shop", "-d", "orders", "-Atc",
                    "SELECT count(*) FROM orders").strip()).isEqualTo("2");
            assertThat(run("docker", "exec", project + "_cache_1", "redis-cli", "HGET", "cart:7", "sku-1").strip())
                    .isEqualTo("2");
            assertThat(run("docker", "ps", "-q", "--filter", "label=dev.stateful.stack")).as("drill leftovers").isBlank();
        } finally {
            compose(project, "down", "-v");
        }
    }

    @Test
    void aChangeOfTheLiveProjectAfterTheBackupIsReportedForItsService() throws Exception {
        String project = "statefuldrill" + Long.toHexString(System.nanoTime() & 0xffffff);
        try {
            compose(project, "up", "-d");
            awaitHealthy(project + "_orders-db_1");
            awaitHealthy(project + "_cache_1");
            run("docker", "exec", project + "_cache_1", "redis-cli", "SET", "stock:1", "5");
            StackDrillReport report = StackDrill.ofLiveProject(SHOP, project).onProgress(message -> {
                if (message.startsWith("the live project runs again")) {
                    try {
                        awaitHealthy(project + "_cache_1");
                        run("docker", "exec", project + "_cache_1", "redis-cli", "SET", "stock:1", "4");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).run();
            assertThat(report.passed()).isFalse();
            assertThat(report.services()).extracting(StackDrillReport.ServiceResult::service,
                    StackDrillReport.ServiceResult::identical).containsExactly(tuple("orders-db", true),
                    tuple("cache", false), tuple("app", true));
            assertThat(report.differences()).containsExactly("cache: db0 stock:1 changed: string 4 ttl:no -> string 5 ttl:no");
            assertThat(report.toText()).contains("service cache          redis    1 differences",
                    "    cache: db0 stock:1 changed: string 4 ttl:no -> string 5 ttl:no",
                    "FAILED: the restored copy differs from the live project: cache: db0 stock:1 changed");
            assertThat(HtmlReport.render(report)).contains("<td class=\"ko\">DIFFERENT<br>cache: db0 stock:1 changed: "
                    + "string 4 ttl:no -&gt; string 5 ttl:no</td>");
        } finally {
            compose(project, "down", "-v");
        }
    }

    @Test
    void aProjectThatIsNotUpIsRefusedNamingIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DrillMain.run(new String[] {"--compose", SHOP.toString(), "--project", "statefulnosuchproject"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Compose project 'statefulnosuchproject' has no "
                + "container of service 'orders-db' (found []); expected the project of ");
    }

    private static void compose(String project, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("docker-compose", "-p", project, "-f", SHOP.toString()));
        argv.addAll(List.of(args));
        run(argv.toArray(String[]::new));
    }

    private static void awaitHealthy(String container) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!run("docker", "inspect", "-f", "{{.State.Health.Status}}", container).strip().equals("healthy")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(container + " not healthy within 120 s");
            }
            Thread.sleep(200);
        }
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
