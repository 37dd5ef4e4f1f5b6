package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.error.ServerNotRunningException;
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
 * The Docker engine restarts in the middle of a suite (a host reboot, a package upgrade of the
 * engine): the test that was running fails with a {@link ServerNotRunningException} naming the
 * volume, the container's state, exit code and stop time, its last log lines and the fix, not
 * with the driver's bare refused connection; and the next class passes on the restarted
 * engine. A real engine of the test's own ({@link PrivateEngine}) is restarted, never the shared
 * one; the suite runs in a JVM of its own pointed at it.
 */
@Tag("docker")
class EngineRestartTest {
    @Test
    @Timeout(300)
    void theRunningTestSaysTheEngineRestartedAndTheNextClassPasses(@TempDir Path dir) throws Exception {
        String text = runThroughAnEngineRestart(dir, A_EngineRestarts.class, B_AfterTheRestart.class);
        String failure = failure(text);
        // Not the driver's bare "Connection to 127.0.0.1:port refused": Stateful's error, naming what happened.
        assertThat(failure).as(text)
                .startsWith(SettingsProbe.FAILURE + ServerNotRunningException.class.getName()
                        + ": connecting to database '")
                .contains("' failed on volume 'stateful-A_EngineRestarts-")
                .containsPattern("is not running \\(state exited, exit code \\d+, stopped at 20\\S+, \\d+ s ago\\)")
                .contains("so the connection was refused or broken (Connection to ")
                .contains("the Docker engine restarted (containers stop with it)")
                .contains("Last log lines of the container: ")
                .contains("shutdown request") // Postgres's own log line, from the tail
                .contains("Fix: call start() on the handle to run the server again on the same volume");
        assertThat(text.lines().filter(l -> l.startsWith(SettingsProbe.FAILURE)).count()).as(text).isEqualTo(1);
        assertThat(text).as(text).contains(SettingsProbe.CAPTURED + "after-restart=[1]");
    }

    @Test
    @Timeout(300)
    void onTheSharedServerTheRunningTestSaysTheEngineRestartedAndTheNextClassPasses(@TempDir Path dir) throws Exception {
        String text = runThroughAnEngineRestart(dir, C_EngineRestartsShared.class, D_AfterTheRestartShared.class);
        assertThat(failure(text)).as(text)
                .startsWith(SettingsProbe.FAILURE + ServerNotRunningException.class.getName()
                        + ": connecting to database '")
                .contains("' failed on volume 'stateful-shared-")
                .contains("the Docker engine restarted (containers stop with it)")
                .contains("shutdown request");
        // The shared server is started again for the next class, on its volume.
        assertThat(text).as(text).contains(SettingsProbe.CAPTURED + "after-restart-shared=[1]");
    }

    /** Run two classes in a JVM of their own on a private engine, restarted while the first runs; the probe's output. */
    private static String runThroughAnEngineRestart(Path dir, Class<?> during, Class<?> after) throws Exception {
        try (PrivateEngine engine = PrivateEngine.start(Path.of("/tmp", "stateful-private-engine-" + ProcessHandle.current().pid()))) {
            String image = StatefulSettings.defaultImage();
            engine.load(image);
            Path output = SettingsProbe.output(dir);
            Process process = SettingsProbe.launch(dir, engine.host(), java.util.Map.of(), during, after);
            try {
                SettingsProbe.awaitFile(dir.resolve("ready"), output, 120);
                engine.restart();
                Files.writeString(dir.resolve("restarted"), "");
                assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("probe finished").isTrue();
            } finally {
                process.destroyForcibly().waitFor();
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        }
    }

    private static String failure(String text) {
        String failure = text.lines().filter(l -> l.startsWith(SettingsProbe.FAILURE)).findFirst()
                .orElseThrow(() -> new AssertionError("the test running during the restart did not fail:\n" + text));
        System.out.println("The test running during the engine restart failed with: " + failure);
        return failure;
    }

    private static void captureSelectOne(String key, StatefulPostgres db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            Captured.add(key, rs.getInt(1));
        }
    }

    /** Runs while the engine restarts: its next query fails, and the failure says why. */
    @WithVolume(ownServer = true)
    static class A_EngineRestarts {
        @Test
        void engineRestartsMidTest(StatefulPostgres db) throws Exception {
            Files.writeString(SettingsProbe.probeDir().resolve("ready"), "");
            SettingsProbe.awaitFile(SettingsProbe.probeDir().resolve("restarted"), SettingsProbe.probeDir().resolve("probe.out"), 120);
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
        }
    }

    /** The next class, on the restarted engine. */
    @WithVolume(ownServer = true)
    static class B_AfterTheRestart {
        @Test
        void works(StatefulPostgres db) throws Exception {
            captureSelectOne("after-restart", db);
        }
    }

    /** As {@link A_EngineRestarts}, on the shared server (the default). */
    @WithVolume
    static class C_EngineRestartsShared {
        @Test
        void engineRestartsMidTest(StatefulPostgres db) throws Exception {
            new A_EngineRestarts().engineRestartsMidTest(db);
        }
    }

    /** The next class on the shared server, started again on the restarted engine. */
    @WithVolume
    static class D_AfterTheRestartShared {
        @Test
        void works(StatefulPostgres db) throws Exception {
            captureSelectOne("after-restart-shared", db);
        }
    }
}
