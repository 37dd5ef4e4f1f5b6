package dev.stateful.drill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.testing.Chromium;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line drill, run as users run it: {@code java -jar target/stateful-drill.jar} in a
 * process of its own, after {@code package}. The passing drill's HTML report is opened in
 * headless Chromium.
 */
@Tag("docker")
class DrillCliIT {
    static final Path JAR = Path.of("target", "stateful-drill.jar");
    static final Path MIGRATIONS = Path.of("..", "test-fixtures", "src", "main", "resources", "stateful", "fixtures",
            "db", "migration");

    @TempDir
    static Path dir;

    private static Path dump;
    private static Result passing;
    private static Path passingReport;
    private static Path history;
    /** Two runs recorded before this one, as the drill writes them. */
    static final List<String> EARLIER = List.of(
            "{\"startedAt\": \"2026-11-23T06:00:00Z\", \"passed\": true, \"recoveryMillis\": 2100, "
                    + "\"maxRecoveryMillis\": 600000, \"failure\": null, \"steps\": [{\"name\": \"backup\", \"millis\": 3, "
                    + "\"passed\": true}, {\"name\": \"restore\", \"millis\": 1500, \"passed\": true}, "
                    + "{\"name\": \"checks\", \"millis\": 40, \"passed\": true}]}",
            "{\"startedAt\": \"2026-11-30T06:00:00Z\", \"passed\": true, \"recoveryMillis\": 2900, "
                    + "\"maxRecoveryMillis\": 600000, \"failure\": null, \"steps\": [{\"name\": \"backup\", \"millis\": 3, "
                    + "\"passed\": true}, {\"name\": \"restore\", \"millis\": 2200, \"passed\": true}, "
                    + "{\"name\": \"checks\", \"millis\": 45, \"passed\": true}]}");

    record Result(int exit, String out, long pid) {
    }

    @BeforeAll
    static void runAPassingDrill() throws Exception {
        assertThat(JAR).as("the shaded jar, built by package").isRegularFile();
        dump = Fixtures.realisticDump(0.05);
        passingReport = dir.resolve("report-pass");
        history = Files.write(dir.resolve("history.jsonl"), EARLIER);
        passing = drill("--dump", dump.toString(), "--migrations", MIGRATIONS.toString(),
                "--check", "SELECT count(*) > 0 FROM users", "--check", "SELECT count(*) > 0 FROM orders",
                "--expect-tables", "users,orders,order_items", "--report", passingReport.toString(),
                "--history", history.toString(), "--max-rto", "10m");
    }

    @Test
    void aGoodDumpPassesWithExit0AndWritesBothReports() throws IOException {
        assertThat(passing.exit()).as(passing.out()).isZero();
        assertThat(passing.out()).contains("[drill] restore ...").contains("PASSED");
        String json = Files.readString(passingReport.resolve("report.json"));
        assertThat(json).contains("\"passed\": true").contains("\"failure\": null")
                .contains("{\"name\": \"restore\"").contains("{\"name\": \"migrate\"").contains("{\"name\": \"checks\"")
                .contains("\"sql\": \"SELECT count(*) > 0 FROM users\", \"passed\": true");
        assertThat(JsonShape.isObject(json)).as("report.json is one JSON object").isTrue();
        assertThat(passingReport.resolve("report.html")).isNotEmptyFile();
    }

    @Test
    void theHtmlReportRendersInChromium() throws Exception {
        Path html = passingReport.resolve("report.html").toAbsolutePath();
        Chromium chromium = Chromium.in(dir.resolve("chromium"));
        String dom = chromium.dumpDom(html, 1000);
        assertThat(dom).contains("<h1 id=\"verdict\" class=\"passed\">Restore drill passed</h1>");
        for (String step : List.of("backup", "restore", "fingerprint restored", "migrate", "checks")) {
            assertThat(dom).contains("<tr><td>" + step + "</td>");
        }
        assertThat(dom.split("class=\"bar\"", -1).length - 1).as("one bar per step").isEqualTo(5);
        assertThat(dom).contains("<table id=\"tables\">").contains("<td>public.users</td>");

        Path png = chromium.screenshot(html, 1000, 900, dir.resolve("report.png"));
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).as("screenshot size").isGreaterThan(10_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        var image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(400);
        long distinct = java.util.stream.IntStream.range(0, 200).map(i -> image.getRGB(
                (i * 37) % image.getWidth(), (i * 53) % image.getHeight())).distinct().count();
        assertThat(distinct).as("colours sampled from the screenshot").isGreaterThan(2);
    }

    @Test
    void theHistoryGainsOneLineAndTheTrendDrawsEveryRecordedRunAt1200Pixels() throws Exception {
        List<String> lines = Files.readAllLines(history);
        assertThat(lines).hasSize(3).startsWith(EARLIER.toArray(String[]::new));
        String json = Files.readString(passingReport.resolve("report.json"));
        String recovery = json.replaceAll("(?s).*\"recoveryMillis\": (\\d+).*", "$1");
        assertThat(lines.get(2)).contains("\"passed\": true", "\"recoveryMillis\": " + recovery + ",",
                "\"maxRecoveryMillis\": 600000", "{\"name\": \"restore\", \"millis\": ");
        assertThat(JsonShape.isObject(lines.get(2))).isTrue();
        String restore = lines.get(2).replaceAll(".*\\{\"name\": \"restore\", \"millis\": (\\d+).*", "$1");

        Map<String, String> seen = Chromium.in(dir.resolve("chromium-trend")).measure(
                passingReport.resolve("report.html"), 1200, """
                var out = ['innerWidth=' + window.innerWidth, 'scrollWidth=' + document.documentElement.scrollWidth];
                var pick = function (selector) {
                  return Array.prototype.map.call(document.querySelectorAll(selector), function (c) {
                    return c.getAttribute('data-run') + ':' + c.getAttribute('data-ms');
                  }).join(',');
                };
                out.push('rto=' + pick('#trend circle.rto-point'));
                out.push('restore=' + pick('#trend circle.step-point[data-step="restore"]'));
                var trend = document.getElementById('trend').getBoundingClientRect();
                out.push('trendRight=' + Math.round(trend.right) + ' trendHeight=' + Math.round(trend.height));
                out.push('limit=' + (document.getElementById('max-rto') ? 'drawn' : 'missing'));
                return out.join('\\n');
                """);
        assertThat(seen.get("innerWidth")).isEqualTo("1200");
        assertThat(Integer.parseInt(seen.get("scrollWidth"))).as("page width at 1,200 px").isLessThanOrEqualTo(1200);
        assertThat(seen.get("rto")).isEqualTo("1:2100,2:2900,3:" + recovery);
        assertThat(seen.get("restore")).isEqualTo("1:1500,2:2200,3:" + restore);
        assertThat(seen.get("limit")).isEqualTo("drawn");
        if (Boolean.getBoolean("stateful.docs.update")) {
            Path png = Chromium.in(dir.resolve("chromium-docs")).screenshot(passingReport.resolve("report.html"), 1200,
                    1000, dir.resolve("drill-report.png"));
            Files.copy(png, Path.of("..", "docs", "images", "drill-report.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aRecoveryTimeAboveMaxRtoFailsWithExit1SayingByHowMuch() throws Exception {
        Path own = dir.resolve("history-rto.jsonl");
        Result result = drill("--dump", dump.toString(), "--max-rto", "1ms", "--history", own.toString());

        assertThat(result.exit()).as(result.out()).isEqualTo(1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("FAILED: recovery time (\\d+) ms(?: \\([^)]*\\))? exceeded "
                + "the maximum recovery time \\(--max-rto, maxRecoveryTime\\) of 1 ms by (\\d+) ms(?: \\([^)]*\\))?\\. Fix: ").matcher(result.out());
        assertThat(m.find()).as(result.out()).isTrue();
        assertThat(Long.parseLong(m.group(1)) - 1).as("exceeded by").isEqualTo(Long.parseLong(m.group(2)));
        assertThat(Files.readAllLines(own)).singleElement().asString().contains("\"passed\": false",
                "\"maxRecoveryMillis\": 1,", "\"failure\": \"recovery time ");
    }

    @Test
    void aCorruptDumpFailsWithExit1AndStillWritesTheReport() throws Exception {
        byte[] bytes = Files.readAllBytes(dump);
        Path corrupt = Files.write(dir.resolve("corrupt.dump"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path report = dir.resolve("report-corrupt");

        Result result = drill("--dump", corrupt.toString(), "--report", report.toString());

        assertThat(result.exit()).as(result.out()).isEqualTo(1);
        assertThat(result.out()).contains("FAILED: step 'restore' failed");
        assertThat(Files.readString(report.resolve("report.json"))).contains("\"passed\": false")
                .contains("\"failure\": \"step 'restore' failed: ");
        assertThat(Files.readString(report.resolve("report.html"))).contains("Restore drill FAILED");
        DockerEngine engine = DockerEngine.get();
        String pid = Long.toString(result.pid());
        assertThat(engine.volumesLabelled(Labels.PID, pid)).as("volumes the drill left").isEmpty();
        assertThat(engine.containersLabelled(Labels.PID, pid)).as("containers the drill left").isEmpty();
    }

    @Test
    void badArgumentsExitWith2NamingTheOption() throws Exception {
        Result unknown = drill("--dump", dump.toString(), "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.out()).contains("unknown option '--frobnicate'").contains("Usage:");

        Result missingValue = drill("--dump", dump.toString(), "--check");
        assertThat(missingValue.exit()).isEqualTo(2);
        assertThat(missingValue.out()).contains("--check needs a value");

        Result both = drill("--dump", dump.toString(), "--volume", "v");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.out()).contains("--dump FILE and --volume NAME");

        Result rto = drill("--dump", dump.toString(), "--max-rto", "soon");
        assertThat(rto.exit()).isEqualTo(2);
        assertThat(rto.out()).contains("--max-rto 'soon' is not a positive duration; expected a number with ms, s, m "
                + "or h, such as 90s or 15m (or ISO-8601 such as PT15M).");

        Path corrupt = Files.write(dir.resolve("corrupt-history.jsonl"), List.of(EARLIER.get(0), "{\"startedAt\": 1"));
        Result badHistory = drill("--dump", dump.toString(), "--history", corrupt.toString());
        assertThat(badHistory.exit()).isEqualTo(2);
        assertThat(badHistory.out()).contains("--history: history file '" + corrupt.toAbsolutePath() + "', line 2 is "
                + "not a recorded drill run (expected '}' at character 16)");
    }

    static Result drill(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "drill", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the drill did not end within 5 minutes: " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log), process.pid());
    }
}
