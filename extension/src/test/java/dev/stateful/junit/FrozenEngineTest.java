package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.error.EngineException;
import dev.stateful.StatefulPostgres;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote engine that stops answering in the middle of a test: the test's next engine call
 * fails with an {@link EngineException} at {@code stateful.engine-timeout}, not a hang, and the
 * next class, on the engine answering again, passes. The engine is reached through
 * {@link FreezableProxy} ({@code DOCKER_HOST=tcp://127.0.0.1:port}) in a JVM of its own.
 */
@Tag("docker")
class FrozenEngineTest {
    @Test
    @Timeout(180)
    void frozenEngineGivesAnEngineExceptionAndTheNextClassPasses(@TempDir Path dir) throws Exception {
        String host = System.getenv("DOCKER_HOST");
        URI engine = URI.create(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host);
        try (FreezableProxy proxy = new FreezableProxy(engine)) {
            Path output = SettingsProbe.output(dir);
            Process process = SettingsProbe.launch(dir, "tcp://127.0.0.1:" + proxy.port(), java.util.Map.of("STATEFUL_ENGINE_TIMEOUT", "3"), A_Frozen.class, B_Healthy.class);
            try {
                SettingsProbe.awaitFile(dir.resolve("ready"), output, 90);
                proxy.freeze();
                Files.writeString(dir.resolve("frozen"), "");
                SettingsProbe.awaitFile(dir.resolve("failed"), output, 60);
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
            assertThat(captured).contains("dev.stateful.error.EngineException: cannot exec pg_dump in ")
                    .contains(": the Docker engine did not answer within 3 s. Fix: check that the engine is running and "
                            + "reachable (DOCKER_HOST), or raise stateful.engine-timeout / STATEFUL_ENGINE_TIMEOUT when it "
                            + "is only slow.");
            long seconds = Long.parseLong(captured.replaceAll(".* after (\\d+) s\\]$", "$1"));
            assertThat(seconds).as("seconds until the EngineException").isLessThan(10);
            assertThat(text).contains(SettingsProbe.CAPTURED + "healthy=[1]");
            assertThat(text).as("workers of the timed-out engine call released by the socket deadline")
                    .contains(SettingsProbe.CAPTURED + "blocked-workers=[0]");
        }
    }



    /** Runs while the engine freezes: its dump must fail with an EngineException within the deadline. */
    @WithVolume
    static class A_Frozen {
        @Test
        void engineFreezesMidTest(StatefulPostgres db) throws Exception {
            Files.writeString(SettingsProbe.probeDir().resolve("ready"), "");
            SettingsProbe.awaitFile(SettingsProbe.probeDir().resolve("frozen"), SettingsProbe.probeDir().resolve("probe.out"), 30);
            long started = System.nanoTime();
            try {
                db.dumps().dump(SettingsProbe.probeDir().resolve("frozen.dump"));
                Captured.add("frozen", "dump succeeded on a frozen engine");
            } catch (EngineException e) {
                Captured.add("frozen", e.getClass().getName() + ": " + e.getMessage() + " after "
                        + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
            } finally {
                Captured.add("blocked-workers", blockedWorkersAfter(20));
                Files.writeString(SettingsProbe.probeDir().resolve("failed"), "");
            }
            // Let the parent heal the engine before the container is removed at the end of the class.
            SettingsProbe.awaitFile(SettingsProbe.probeDir().resolve("healed"), SettingsProbe.probeDir().resolve("probe.out"), 30);
        }
    }

    /**
     * Wait up to {@code seconds} until no worker of an engine call is still reading from the
     * frozen engine's socket, and return how many still are.
     */
    static int blockedWorkersAfter(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int blocked;
        do {
            blocked = 0;
            for (java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                if (e.getKey().getName().startsWith("stateful-engine-call-") && java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().contains("Socket") || f.getClassName().startsWith("sun.nio.ch"))) {
                    blocked++;
                }
            }
            if (blocked > 0) {
                Thread.sleep(500);
            }
        } while (blocked > 0 && System.nanoTime() < deadline);
        return blocked;
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
