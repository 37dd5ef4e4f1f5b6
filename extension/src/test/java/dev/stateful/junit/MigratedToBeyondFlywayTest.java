package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.engine.MigratorImages;
import dev.stateful.internal.engine.TestImages;
import dev.stateful.migrate.Hazard;
import dev.stateful.migrate.Migration;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.testing.Sql;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code @MigratedTo(changelog = ...)} and {@code @MigratedTo(image = ...)} as users write them,
 * run through the engine test kit: the class's state, the handle's own {@code migrateTo} on top,
 * the misuse messages (before anything is created in Docker), and a migrator image run on an
 * engine reached over TCP ({@code DOCKER_HOST=tcp://127.0.0.1:port}) from a JVM of its own, and
 * Flyway migrations observed on such an engine.
 */
@Tag("docker")
class MigratedToBeyondFlywayTest {
    static final String CHANGELOG = "classpath:stateful-test/liquibase/orders/master.yaml";
    /** A fixed tag (the examples write it out), since annotations need constants; built here and removed afterwards. */
    static final String IMAGE = "stateful-test/orders-migrator:annotation";
    private static final Map<String, String> NO_CACHE = Map.of("stateful.cache", "off");
    private static final DockerEngine ENGINE = DockerEngine.get();

    @BeforeAll
    static void buildImage() {
        Map<String, String> migrations = new LinkedHashMap<>();
        migrations.put("001_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);");
        migrations.put("002_customers.sql", "CREATE TABLE customers (id int PRIMARY KEY);");
        migrations.put("003_notes.sql", "CREATE TABLE notes (id int PRIMARY KEY);");
        MigratorImages.build(StatefulSettings.defaultImage(), IMAGE, migrations);
    }

    @AfterAll
    static void removeImage() {
        TestImages.remove(IMAGE);
    }

    @Test
    void aChangelogClassStartsAtItsTagAndTheTestMigratesToTheNext() {
        EngineExecutionResults results = Kit.run(NO_CACHE, LiquibaseStep.class);

        assertThat(Kit.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void aMethodLevelTagStartsFromTheClasssTag() {
        Captured.clear();
        EngineExecutionResults results = Kit.run(NO_CACHE, MethodTags.class);

        assertThat(Kit.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(Captured.all("method")).containsExactlyInAnyOrder("a:v1", "b:v2");
    }

    @Test
    void aMigratorImageClassStartsAtItsTarget() {
        EngineExecutionResults results = Kit.run(NO_CACHE, ImageTarget.class);

        assertThat(Kit.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void changelogAndImageClassesRunInParallel() {
        EngineExecutionResults results = Kit.run(Map.of("stateful.cache", "off",
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "3"),
                LiquibaseStep.class, LiquibaseLatest.class, ImageTarget.class);

        assertThat(Kit.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(3));
    }

    @Test
    void aRestoredDumpIsThenMigratedByTheChangelogOrTheImage() {
        EngineExecutionResults results = Kit.run(NO_CACHE, DumpThenChangelog.class, DumpThenImage.class);

        assertThat(Kit.failures(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
    }

    @Test
    void misuseIsReportedBeforeAnythingIsCreated() {
        Set<String> volumes = ENGINE.volumesLabelled(Labels.RUN, Labels.runId()).keySet();
        Set<String> containers = ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet();

        assertThat(Kit.onlyFailure(Kit.run(NO_CACHE, TwoSources.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@MigratedTo on MigratedToBeyondFlywayTest.TwoSources: both locations "
                        + "[classpath:db/migration] and changelog '" + CHANGELOG + "' are given; expected one migration "
                        + "source: locations (Flyway), changelog (Liquibase) or image (a migrator image). Fix: keep one "
                        + "of them.");
        assertThat(Kit.onlyFailure(Kit.run(NO_CACHE, ContextsWithFlyway.class)))
                .hasMessage("@MigratedTo on MigratedToBeyondFlywayTest.ContextsWithFlyway: contexts 'faker' is given "
                        + "without a Liquibase changelog; expected it only together with a Liquibase changelog. Fix: add "
                        + "changelog = \"classpath:...\", or remove contexts.");
        assertThat(Kit.onlyFailure(Kit.run(NO_CACHE, CommandWithoutImage.class)))
                .hasMessage("@MigratedTo on MigratedToBeyondFlywayTest.CommandWithoutImage: command [migrate] is given "
                        + "without a migrator image; expected it only together with a migrator image. Fix: add image = "
                        + "\"...\", or remove command.");
        assertThat(Kit.onlyFailure(Kit.run(NO_CACHE, UnknownTag.class)))
                .hasMessage("@MigratedTo on MigratedToBeyondFlywayTest.UnknownTag: Liquibase tag 'v9' is not in "
                        + "changelog '" + CHANGELOG + "'; its tags are [v1, v2, v3]. Fix: use one of these tags (they "
                        + "are case-sensitive), or 'latest'.");
        assertThat(Kit.onlyFailure(Kit.run(NO_CACHE, MissingChangelog.class)))
                .hasMessage("@MigratedTo on MigratedToBeyondFlywayTest.MissingChangelog: changelog "
                        + "'classpath:db/changelog/db.changelog-master.yaml' not found on the classpath; expected a "
                        + "Liquibase changelog (XML, YAML, JSON or formatted SQL) at db/changelog/db.changelog-master.yaml. "
                        + "Fix: put it under src/test/resources or src/main/resources, or use 'filesystem:' for a file "
                        + "outside them.");
        assertThat(Kit.onlyFailure(Kit.run(NO_CACHE, BadEnv.class)))
                .hasMessageStartingWith("@MigratedTo on MigratedToBeyondFlywayTest.BadEnv: migrator env 'PGHOST' is set "
                        + "by Stateful; expected other names than [DATABASE_URL, JDBC_URL, PGDATABASE, PGHOST, PGPASSWORD, "
                        + "PGPORT, PGUSER, STATEFUL_TARGET].");

        assertThat(ENGINE.volumesLabelled(Labels.RUN, Labels.runId()).keySet()).isEqualTo(volumes);
        assertThat(ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet()).isEqualTo(containers);
    }

    @Test
    @Timeout(240)
    void aMigratorImageRunsOnAnEngineReachedOverTcp(@TempDir Path dir) throws Exception {
        String text = runOverTcp(dir, Map.of("STATEFUL_CACHE", "off"), RemoteImage.class);
        assertThat(text).as(text).doesNotContain(SettingsProbe.FAILURE)
                .contains(SettingsProbe.CAPTURED + "remote=[tcp, 3, 3]");
    }

    @Test
    @Timeout(240)
    void flywayMigrationsAreObservedOnAnEngineReachedOverTcp(@TempDir Path dir) throws Exception {
        Path reports = dir.resolve("reports");
        String text = runOverTcp(dir, Map.of("STATEFUL_CACHE", "off", "STATEFUL_REPORT_DIR", reports.toString()),
                RemoteFlyway.class);
        // The handle's migrateTo("2") in the probe: one step, the index build under SHARE, its hazard.
        assertThat(text).as(text).doesNotContain(SettingsProbe.FAILURE)
                .contains(SettingsProbe.CAPTURED + "remote-flyway=[tcp, 1, 1, {public.orders=SHARE}, [BLOCKING_INDEX_BUILD]]");
        // The class's @MigratedTo to version 1, observed and reported from the same JVM.
        assertThat(Files.readString(reports.resolve(RemoteFlyway.class.getName()).resolve("migrations.json")))
                .contains("\"to\": \"1\"", "\"script\": \"V1__create_orders.sql\"");
    }

    /**
     * Run a probe class in a child JVM whose engine is this one reached over TCP through a proxy
     * (nothing of the unix socket), and return what the probe captured.
     */
    private static String runOverTcp(Path dir, Map<String, String> env, Class<?> probe) throws Exception {
        String host = System.getenv("DOCKER_HOST");
        URI engine = URI.create(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host);
        try (FreezableProxy proxy = new FreezableProxy(engine)) {
            Process process = SettingsProbe.launch(dir, "tcp://127.0.0.1:" + proxy.port(), env, probe);
            try {
                assertThat(process.waitFor(200, TimeUnit.SECONDS)).as("probe finished").isTrue();
            } finally {
                process.destroyForcibly().waitFor();
            }
        }
        return Files.readString(SettingsProbe.output(dir), StandardCharsets.UTF_8);
    }

    // tag::liquibase-class[]
    @WithVolume
    @MigratedTo(changelog = "classpath:stateful-test/liquibase/orders/master.yaml", value = "v1", contexts = "!faker")
    static class LiquibaseStep {
        @Test
        void next(StatefulPostgres db) {
            assertThat(db.migrations().schemaVersion()).contains("v1");
            db.migrateTo("v2");
            assertThat(db.migrations().schemaVersion()).contains("v2");
            assertThat(db.migrations().pendingMigrations()).extracting(Migration::version)
                    .containsExactly("3-orders-by-customer", "tag-v3");
        }
    }
    // end::liquibase-class[]

    @WithVolume
    @MigratedTo(changelog = CHANGELOG, value = "v1")
    static class MethodTags {
        @Test
        void a(StatefulPostgres db) {
            Captured.add("method", "a:" + db.migrations().schemaVersion().orElse("none"));
        }

        @Test
        @MigratedTo(changelog = CHANGELOG, value = "v2")
        void b(StatefulPostgres db) {
            Captured.add("method", "b:" + db.migrations().schemaVersion().orElse("none"));
        }
    }

    @WithVolume
    @MigratedTo(changelog = CHANGELOG, labels = "!slow")
    static class LiquibaseLatest {
        @Test
        void latestWithoutTheSlowChangeset(StatefulPostgres db) {
            assertThat(db.migrations().schemaVersion()).contains("v3");
            assertThat(db.migrations().pendingMigrations()).extracting(Migration::version).isEmpty();
        }
    }

    // tag::image-class[]
    @WithVolume
    @MigratedTo(image = "stateful-test/orders-migrator:annotation", command = "migrate", value = "2",
            env = "MIGRATOR_NAME=annotation")
    static class ImageTarget {
        @Test
        void atTarget(StatefulPostgres db) throws SQLException {
            assertThat(Sql.text(db, "SELECT max(version) FROM schema_version")).isEqualTo("2");
        }
    }
    // end::image-class[]

    @WithVolume
    @RestoredFrom("classpath:stateful-test/dumps/tiny.sql")
    @MigratedTo(changelog = CHANGELOG, value = "v2")
    static class DumpThenChangelog {
        @Test
        void both(StatefulPostgres db) throws SQLException {
            assertThat(Sql.text(db, "SELECT label FROM tiny WHERE id = 1")).isEqualTo("één");
            assertThat(db.migrations().schemaVersion()).contains("v2");
        }
    }

    @WithVolume
    @RestoredFrom("classpath:stateful-test/dumps/tiny.sql")
    @MigratedTo(image = IMAGE, command = "migrate")
    static class DumpThenImage {
        @Test
        void both(StatefulPostgres db) throws SQLException {
            assertThat(Sql.text(db, "SELECT label FROM tiny WHERE id = 1")).isEqualTo("één");
            assertThat(Sql.text(db, "SELECT max(version) FROM schema_version")).isEqualTo("3");
        }
    }

    /** Runs in the probe JVM, whose DOCKER_HOST is the TCP proxy. */
    @WithVolume
    @MigratedTo(image = IMAGE, command = "migrate")
    static class RemoteImage {
        @Test
        void migrated(StatefulPostgres db) throws SQLException {
            Captured.add("remote", URI.create(System.getenv("DOCKER_HOST")).getScheme());
            Captured.add("remote", Sql.text(db, "SELECT max(version) FROM schema_version"));
            db.migrations().migrateWith(IMAGE, "migrate");
            Captured.add("remote", Sql.text(db, "SELECT count(*) FROM schema_version"));
        }
    }

    /**
     * Runs in the probe JVM, whose DOCKER_HOST is the TCP proxy: the server is reached on its
     * published port, and the observation, JDBC only, from there too.
     */
    @WithVolume
    @MigratedTo(locations = MigratedToHazardsTest.SET, value = "1")
    static class RemoteFlyway {
        @Test
        void observed(StatefulPostgres db) {
            Captured.add("remote-flyway", URI.create(System.getenv("DOCKER_HOST")).getScheme());
            MigrationResult result = db.migrateTo("2");
            Captured.add("remote-flyway", result.applied().size());
            Captured.add("remote-flyway", result.steps().size());
            Captured.add("remote-flyway", result.steps().get(0).locks());
            Captured.add("remote-flyway", result.hazards().stream().map(Hazard::kind).toList());
        }
    }

    @WithVolume
    @MigratedTo(locations = "classpath:db/migration", changelog = CHANGELOG)
    static class TwoSources {
        @Test
        void never() {
        }
    }

    @WithVolume
    @MigratedTo(locations = "classpath:stateful-test/migrations/basic", contexts = "faker")
    static class ContextsWithFlyway {
        @Test
        void never() {
        }
    }

    @WithVolume
    @MigratedTo(command = "migrate")
    static class CommandWithoutImage {
        @Test
        void never() {
        }
    }

    @WithVolume
    @MigratedTo(changelog = CHANGELOG, value = "v9")
    static class UnknownTag {
        @Test
        void never() {
        }
    }

    @WithVolume
    @MigratedTo(changelog = "classpath:db/changelog/db.changelog-master.yaml")
    static class MissingChangelog {
        @Test
        void never() {
        }
    }

    @WithVolume
    @MigratedTo(image = IMAGE, env = "PGHOST=elsewhere")
    static class BadEnv {
        @Test
        void never() {
        }
    }
}
