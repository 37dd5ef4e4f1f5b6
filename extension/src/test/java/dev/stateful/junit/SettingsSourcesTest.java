package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings reach the parts that use them from every source a user sets them in, under JUnit:
 * a {@code junit-platform.properties} file, a configuration parameter, the environment. The
 * file and the environment need a JVM of their own ({@link SettingsProbe}); the resolver's
 * table over every setting and source is {@code dev.stateful.StatefulSettingsTest}.
 */
@Tag("also-on-junit6")
class SettingsSourcesTest {

    @Test
    @Tag("docker")
    @Timeout(120)
    void propertiesFileBeatsEnvironmentAndBothReachTheHandle(@TempDir Path dir) throws Exception {
        // The known bug: stateful.snapshot-pool in junit-platform.properties was ignored.
        String output = runProbe(dir, PoolProbe.class, "stateful.snapshot-pool=3\n",
                // A server of its own: on the shared server the class's database is named c_..., not envdb.
                Map.of("STATEFUL_SNAPSHOT_POOL", "0", "STATEFUL_DATABASE", "envdb", "STATEFUL_SERVER", "own"));
        assertThat(output).doesNotContain(SettingsProbe.FAILURE);
        // Three clones of 's' once a restore needed a full clone; the default pool gives one.
        assertThat(output).contains(SettingsProbe.CAPTURED + "pool=[envdb 3]");
    }

    @Test
    @Timeout(60)
    void badEnvironmentValueFailsTheClassUnderJUnit(@TempDir Path dir) throws Exception {
        // The known bug: STATEFUL_CACHE_MAX_ENTRIES was ignored under JUnit.
        String output = runProbe(dir, PoolProbe.class, "", Map.of("STATEFUL_CACHE_MAX_ENTRIES", "lots"));
        assertThat(output).contains(SettingsProbe.FAILURE + ExtensionConfigurationException.class.getName()
                + ": Stateful settings, read for SettingsSourcesTest.PoolProbe: STATEFUL_CACHE_MAX_ENTRIES 'lots' (from "
                + "an environment variable) is invalid; expected a whole number from 1 to 10000. Fix: use for example 10.");
        assertThat(output).doesNotContain(SettingsProbe.CAPTURED);
    }

    @Test
    @Timeout(60)
    void typoInABooleanInThePropertiesFileIsRejected(@TempDir Path dir) throws Exception {
        String output = runProbe(dir, PoolProbe.class, "stateful.flyway.baseline-on-migrate=ture\n", Map.of());
        assertThat(output).contains(SettingsProbe.FAILURE + ExtensionConfigurationException.class.getName()
                + ": Stateful settings, read for SettingsSourcesTest.PoolProbe: stateful.flyway.baseline-on-migrate "
                + "'ture' (from a JUnit configuration parameter) is invalid; expected true or false. Fix: write true "
                + "or false.");
    }

    @Test
    void badConfigurationParameterFailsBeforeAnyContainer() {
        Captured.clear();
        Throwable failure = Kit.onlyFailure(Kit.run(Map.of("stateful.snapshot-pool", "many"), PoolProbe.class));
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Stateful settings, read for SettingsSourcesTest.PoolProbe: stateful.snapshot-pool 'many' "
                        + "(from a JUnit configuration parameter) is invalid; expected a whole number from 0 to 8. "
                        + "Fix: use 1 (the default) or 0 to turn the pool off.");
        assertThat(Captured.all("pool")).isEmpty();
    }

    private static String runProbe(Path dir, Class<?> probe, String properties, Map<String, String> env)
            throws IOException, InterruptedException {
        Path resources = Files.createDirectories(dir.resolve("resources"));
        Files.writeString(resources.resolve("junit-platform.properties"), properties);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path output = dir.resolve("probe.out");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", resources + File.pathSeparator
                + System.getProperty("java.class.path"), SettingsProbe.class.getName(), probe.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("STATEFUL_") && !k.equals("STATEFUL_IMAGE"));
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("probe did not finish within 90 s; its output:\n" + Files.readString(output));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("probe exit code; its output:\n" + text).isZero();
        return text;
    }

    /**
     * Takes a snapshot, makes the next restore need a full clone (DDL), which fills the pool, and
     * counts the ready clones (polled until three, the count of a pool of three, or a deadline).
     */
    @WithVolume
    static class PoolProbe {
        @Test
        void pool(StatefulPostgres db) throws Exception {
            db.snapshot("s");
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE ddl_needs_a_clone (id int)");
            }
            db.restore("s");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int clones;
            do {
                clones = clones(db);
                if (clones >= 3) {
                    break;
                }
                Thread.sleep(100);
            } while (System.nanoTime() < deadline);
            Thread.sleep(300); // a fourth clone would show up now if the pool were larger
            Captured.add("pool", db.database() + " " + clones(db));
        }

        private static int clones(StatefulPostgres db) throws Exception {
            try (Connection c = db.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE '%\\_\\_clone\\_%'")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
