package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.migrate.Migrations;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.testing.ProbeJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
        String text = ProbeJvm.withThisClasspath().without("liquibase-").run(dir, NoLiquibaseTest.class, 150);
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
        ProbeJvm.runAndPrint(ChangelogClass.class, FlywayClass.class);
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
