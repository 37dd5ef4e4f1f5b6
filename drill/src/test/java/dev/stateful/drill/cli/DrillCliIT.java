package dev.stateful.drill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.fixtures.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    record Result(int exit, String out, long pid) {
    }

    @BeforeAll
    static void runAPassingDrill() throws Exception {
        assertThat(JAR).as("the shaded jar, built by package").isRegularFile();
        dump = Fixtures.realisticDump(0.05);
        passingReport = dir.resolve("report-pass");
        passing = drill("--dump", dump.toString(), "--migrations", MIGRATIONS.toString(),
                "--check", "SELECT count(*) > 0 FROM users", "--check", "SELECT count(*) > 0 FROM orders",
                "--expect-tables", "users,orders,order_items", "--report", passingReport.toString());
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
        String dom = Chromium.dumpDom(html, dir.resolve("chromium-dom"));
        assertThat(dom).contains("<h1 id=\"verdict\" class=\"passed\">Restore drill passed</h1>");
        for (String step : List.of("backup", "restore", "fingerprint restored", "migrate", "checks")) {
            assertThat(dom).contains("<tr><td>" + step + "</td>");
        }
        assertThat(dom.split("class=\"bar\"", -1).length - 1).as("one bar per step").isEqualTo(5);
        assertThat(dom).contains("<table id=\"tables\">").contains("<td>public.users</td>");

        Path png = Chromium.screenshot(html, dir.resolve("chromium-shot"), dir.resolve("report.png"));
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
