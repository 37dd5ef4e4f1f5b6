package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.stateful.StatefulPostgres;
import dev.stateful.migrate.Migrations;
import dev.stateful.migrate.MigrationSettings;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A project without {@code liquibase-core}: in a JVM whose classpath is this one's minus the
 * Liquibase jar, a {@code @MigratedTo(changelog = ...)} class fails with a message naming the
 * dependency, before anything starts, while a Flyway class in the same run works as before.
 */
@Tag("docker")
class NoLiquibaseTest {
    static final String MISSING = "@MigratedTo on NoLiquibaseTest.ChangelogClass: changelog "
            + "'classpath:stateful-test/liquibase/orders/master.yaml' needs Liquibase, which is not on the test "
            + "classpath; expected org.liquibase:liquibase-core 4.x. Fix: add the test dependency "
            + "org.liquibase:liquibase-core:4.33.0 (Maven: <scope>test</scope>; Gradle: testImplementation).";

    @Test
    @Timeout(180)
    void aChangelogWithoutLiquibaseNamesTheDependencyAndFlywayStillWorks(@TempDir Path dir) throws Exception {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String classpath = entries.stream().filter(e -> !Path.of(e).getFileName().toString().startsWith("liquibase-"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classpath.split(File.pathSeparator)).as("the Liquibase jar is left out").hasSize(entries.size() - 1);
        Path output = dir.resolve("probe.out");
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, NoLiquibaseTest.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("STATEFUL_CACHE", "off");
        Process process = pb.start();
        try {
            assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("probe finished").isTrue();
        } finally {
            process.destroyForcibly().waitFor();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(text).as(text)
                .contains("LIQUIBASE-CLASS absent")
                .contains("DIRECT " + MISSING.substring(MISSING.indexOf("changelog '")))
                .contains("FAILURE org.junit.jupiter.api.extension.ExtensionConfigurationException: " + MISSING)
                .contains("FLYWAY 3")
                .contains("SUCCEEDED 1 FAILED 1");
    }

    /** The probe: runs in the JVM without Liquibase. */
    public static void main(String[] args) {
        try {
            Class.forName("liquibase.Scope");
            System.out.println("LIQUIBASE-CLASS present");
        } catch (ClassNotFoundException e) {
            System.out.println("LIQUIBASE-CLASS absent");
        }
        try {
            Migrations.checkTarget(MigrationSettings.defaults()
                    .withChangelog("classpath:stateful-test/liquibase/orders/master.yaml"), "v1");
        } catch (RuntimeException e) {
            System.out.println("DIRECT " + e.getMessage());
        }
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ChangelogClass.class),
                selectClass(FlywayClass.class)).execute();
        results.allEvents().failed().stream().forEach(event -> event.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .ifPresent(t -> System.out.println("FAILURE " + t.getClass().getName() + ": " + t.getMessage())));
        long succeeded = results.testEvents().succeeded().count();
        long failed = results.allEvents().failed().count();
        System.out.println("SUCCEEDED " + succeeded + " FAILED " + failed);
        System.out.flush();
        System.exit(0);
    }

    @WithVolume
    @MigratedTo(changelog = "classpath:stateful-test/liquibase/orders/master.yaml")
    static class ChangelogClass {
        @Test
        void never() {
        }
    }

    @WithVolume
    @MigratedTo(locations = "classpath:stateful-test/migrations/basic")
    static class FlywayClass {
        @Test
        void flywayWorks(StatefulPostgres db) {
            System.out.println("FLYWAY " + db.migrations().schemaVersion().orElse("none"));
        }
    }
}
