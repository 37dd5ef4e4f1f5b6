package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker engine restarts in the middle of a suite (a host reboot, a package upgrade of the
 * engine): the test that was running fails with an error that says the container is no longer
 * running because the engine may have restarted, and the next class passes on the restarted
 * engine. A real engine of the test's own ({@link PrivateEngine}) is restarted, never the shared
 * one; the suite runs in a JVM of its own pointed at it.
 */
class EngineRestartTest {
    private static final String DIR = "stateful.test.probe-dir";

    @Test
    @Timeout(300)
    void theRunningTestSaysTheEngineRestartedAndTheNextClassPasses(@TempDir Path dir) throws Exception {
        try (PrivateEngine engine = PrivateEngine.start(Path.of("/tmp", "stateful-private-engine-" + ProcessHandle.current().pid()))) {
            String image = StatefulSettings.defaultImage();
            engine.load(image);
            Path resources = Files.createDirectories(dir.resolve("resources"));
            Files.writeString(resources.resolve("junit-platform.properties"),
                    "junit.jupiter.testclass.order.default=org.junit.jupiter.api.ClassOrderer$ClassName\n");
            Path output = dir.resolve("probe.out");
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-D" + DIR + "=" + dir, "-Duser.home=" + dir,
                    "-cp", resources + File.pathSeparator + System.getProperty("java.class.path"),
                    SettingsProbe.class.getName(), A_EngineRestarts.class.getName(), B_AfterTheRestart.class.getName())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_") || (k.startsWith("STATEFUL_")
                    && !k.equals("STATEFUL_IMAGE")));
            pb.environment().put("DOCKER_HOST", engine.host());
            Process process = pb.start();
            try {
                awaitFile(dir.resolve("ready"), output, 120);
                engine.restart();
                Files.writeString(dir.resolve("restarted"), "");
                assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("probe finished").isTrue();
            } finally {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            String failure = text.lines().filter(l -> l.startsWith(SettingsProbe.FAILURE)).findFirst()
                    .orElseThrow(() -> new AssertionError("the test running during the restart did not fail:\n" + text));
            assertThat(failure).as(text)
                    .contains("(container not running (exit code ")
                    .contains("the Docker engine restarted");
            assertThat(text.lines().filter(l -> l.startsWith(SettingsProbe.FAILURE)).count()).as(text).isEqualTo(1);
            assertThat(text).as(text).contains(SettingsProbe.CAPTURED + "after-restart=[1]");
        }
    }

    private static void awaitFile(Path file, Path output, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file.getFileName() + " did not appear within " + seconds + " s; probe output:\n"
                        + Files.readString(output));
            }
            Thread.sleep(50);
        }
    }

    private static Path probeDir() {
        return Path.of(System.getProperty(DIR));
    }

    /** Runs while the engine restarts: its next query fails, and the failure says why. */
    @WithVolume
    static class A_EngineRestarts {
        @Test
        void engineRestartsMidTest(StatefulPostgres db) throws Exception {
            Files.writeString(probeDir().resolve("ready"), "");
            awaitFile(probeDir().resolve("restarted"), probeDir().resolve("probe.out"), 120);
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
        }
    }

    /** The next class, on the restarted engine. */
    @WithVolume
    static class B_AfterTheRestart {
        @Test
        void works(StatefulPostgres db) throws Exception {
            try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                Captured.add("after-restart", rs.getInt(1));
            }
        }
    }
}
