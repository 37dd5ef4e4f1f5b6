package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.EngineException;
import dev.stateful.StatefulPostgres;
import java.io.File;
import java.net.URI;
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
 * A remote engine that stops answering in the middle of a test: the test's next engine call
 * fails with an {@link EngineException} at {@code stateful.engine-timeout}, not a hang, and the
 * next class, on the engine answering again, passes. The engine is reached through
 * {@link FreezableProxy} ({@code DOCKER_HOST=tcp://127.0.0.1:port}) in a JVM of its own.
 */
class FrozenEngineTest {
    private static final String DIR = "stateful.test.probe-dir";

    @Test
    @Timeout(180)
    void frozenEngineGivesAnEngineExceptionAndTheNextClassPasses(@TempDir Path dir) throws Exception {
        String host = System.getenv("DOCKER_HOST");
        URI engine = URI.create(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host);
        try (FreezableProxy proxy = new FreezableProxy(engine)) {
            Path resources = Files.createDirectories(dir.resolve("resources"));
            Files.writeString(resources.resolve("junit-platform.properties"),
                    "junit.jupiter.testclass.order.default=org.junit.jupiter.api.ClassOrderer$ClassName\n");
            Path output = dir.resolve("probe.out");
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-D" + DIR + "=" + dir, "-Duser.home=" + dir,
                    "-cp", resources + File.pathSeparator + System.getProperty("java.class.path"),
                    SettingsProbe.class.getName(), A_Frozen.class.getName(), B_Healthy.class.getName())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_") || (k.startsWith("STATEFUL_")
                    && !k.equals("STATEFUL_IMAGE")));
            pb.environment().put("DOCKER_HOST", "tcp://127.0.0.1:" + proxy.port());
            pb.environment().put("STATEFUL_ENGINE_TIMEOUT", "3");
            Process process = pb.start();
            try {
                awaitFile(dir.resolve("ready"), output, 90);
                proxy.freeze();
                Files.writeString(dir.resolve("frozen"), "");
                awaitFile(dir.resolve("failed"), output, 60);
                proxy.heal();
                Files.writeString(dir.resolve("healed"), "");
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
            } finally {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(text).as(text).doesNotContain(SettingsProbe.FAILURE);
            String captured = text.lines().filter(l -> l.startsWith(SettingsProbe.CAPTURED + "frozen=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no result of the frozen class:\n" + text));
            assertThat(captured).contains("dev.stateful.EngineException: cannot exec pg_dump in ")
                    .contains(": the Docker engine did not answer within 3 s. Fix: check that the engine is running and "
                            + "reachable (DOCKER_HOST), or raise stateful.engine-timeout / STATEFUL_ENGINE_TIMEOUT when it "
                            + "is only slow.");
            long seconds = Long.parseLong(captured.replaceAll(".* after (\\d+) s\\]$", "$1"));
            assertThat(seconds).as("seconds until the EngineException").isLessThan(10);
            assertThat(text).contains(SettingsProbe.CAPTURED + "healthy=[1]");
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

    /** Runs while the engine freezes: its dump must fail with an EngineException within the deadline. */
    @WithVolume
    static class A_Frozen {
        @Test
        void engineFreezesMidTest(StatefulPostgres db) throws Exception {
            Files.writeString(probeDir().resolve("ready"), "");
            awaitFile(probeDir().resolve("frozen"), probeDir().resolve("probe.out"), 30);
            long started = System.nanoTime();
            try {
                db.dumpTo(probeDir().resolve("frozen.dump"));
                Captured.add("frozen", "dump succeeded on a frozen engine");
            } catch (EngineException e) {
                Captured.add("frozen", e.getClass().getName() + ": " + e.getMessage() + " after "
                        + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
            } finally {
                Files.writeString(probeDir().resolve("failed"), "");
            }
            // Let the parent heal the engine before the container is removed at the end of the class.
            awaitFile(probeDir().resolve("healed"), probeDir().resolve("probe.out"), 30);
        }
    }

    /** The next class, on an engine that answers again. */
    @WithVolume
    static class B_Healthy {
        @Test
        void works(StatefulPostgres db) throws Exception {
            try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                Captured.add("healthy", rs.getInt(1));
            }
        }
    }

}
