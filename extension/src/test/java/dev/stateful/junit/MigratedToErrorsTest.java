package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What a user sees for bad {@code @RestoredFrom} and {@code @MigratedTo} input: the exact
 * messages, each reported before anything is created in Docker (checked against the
 * containers and volumes this JVM owns).
 */
@Tag("docker")
@Tag("also-on-junit6")
class MigratedToErrorsTest {
    private static final DockerEngine ENGINE = DockerEngine.get();

    private Set<String> volumesBefore;
    private Set<String> containersBefore;

    @BeforeEach
    void snapshot() {
        volumesBefore = ENGINE.volumesLabelled(Labels.RUN, Labels.runId()).keySet();
        containersBefore = ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet();
    }

    @AfterEach
    void nothingCreated() {
        assertThat(ENGINE.volumesLabelled(Labels.RUN, Labels.runId()).keySet()).as("volumes of this run")
                .isEqualTo(volumesBefore);
        assertThat(ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet()).as("containers of this run")
                .isEqualTo(containersBefore);
    }

    @Test
    void missingDumpOnTheClass() {
        EngineExecutionResults results = Kit.run(MissingDump.class);
        assertThat(Kit.onlyFailure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@RestoredFrom on MigratedToErrorsTest.MissingDump: Dump 'classpath:stateful-test/dumps/missing.dump' "
                        + "does not exist: there is no resource 'stateful-test/dumps/missing.dump' on the classpath. "
                        + "Expected a dump made by pg_dump: custom (-Fc), directory (-Fd), tar (-Ft) or plain SQL "
                        + "(-Fp), a file optionally gzipped. Fix: put the dump at "
                        + "src/test/resources/stateful-test/dumps/missing.dump (or "
                        + "src/main/resources/stateful-test/dumps/missing.dump), or use 'file:...' for a dump outside "
                        + "the classpath.");
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @Test
    void unknownTargetOnTheClass() {
        EngineExecutionResults results = Kit.run(UnknownTarget.class);
        assertThat(Kit.onlyFailure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@MigratedTo on MigratedToErrorsTest.UnknownTarget: Target version 9 is unknown: the migrations in "
                        + "[classpath:stateful-test/migrations/basic] have versions 1, 2, 3. Expected one of these, or "
                        + "'latest'. Fix: pass an existing version to migrateTo(...), or add a script "
                        + "V9__<description>.sql to one of the locations.");
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @Test
    void unknownTargetOnAMethodWithItsOwnWithVolume() {
        EngineExecutionResults results = Kit.run(UnknownTargetOnMethod.class);
        assertThat(Kit.onlyFailure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@MigratedTo on MigratedToErrorsTest.UnknownTargetOnMethod.test(): Target version 2.5 is unknown: the "
                        + "migrations in [classpath:stateful-test/migrations/basic] have versions 1, 2, 3. Expected one "
                        + "of these, or 'latest'. Fix: pass an existing version to migrateTo(...), or add a script "
                        + "V2.5__<description>.sql to one of the locations.");
    }

    @Test
    void migratedToOnANestedClassSharingTheOuterContainer() {
        EngineExecutionResults results = Kit.run(OuterWithVolume.class);
        assertThat(Kit.onlyFailure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@MigratedTo on MigratedToErrorsTest.OuterWithVolume.NestedMigrated: this class shares the container of "
                        + "an enclosing @WithVolume, whose state is built before it; expected @MigratedTo next to a "
                        + "@WithVolume. Fix: add @WithVolume to this class (a container of its own), or put @MigratedTo "
                        + "on its test methods.");
        results.testEvents().assertStatistics(s -> s.succeeded(1).started(1));
    }

    @Test
    void migratedToWithoutWithVolumeOnTheClass() {
        EngineExecutionResults results = Kit.run(MigratedWithoutVolume.class);
        assertThat(Kit.onlyFailure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@MigratedTo on MigratedToErrorsTest.MigratedWithoutVolume: no @WithVolume in scope; expected "
                        + "@WithVolume on the test class, an enclosing class or the method, to provide the database to "
                        + "restore into or migrate. Fix: add @WithVolume next to it.");
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @Test
    void restoredFromWithoutWithVolumeOnAMethod() {
        EngineExecutionResults results = Kit.run(RestoredWithoutVolume.class);
        assertThat(Kit.onlyFailure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@RestoredFrom on MigratedToErrorsTest.RestoredWithoutVolume.test(): no @WithVolume in scope; "
                        + "expected @WithVolume on the test class, an enclosing class or the method, to provide the "
                        + "database to restore into or migrate. Fix: add @WithVolume next to it.");
    }

    @Test
    void placeholderWithoutEqualsSign() {
        EngineExecutionResults results = Kit.run(BadPlaceholder.class);
        assertThat(Kit.onlyFailure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@MigratedTo on MigratedToErrorsTest.BadPlaceholder: placeholders entry 'table_name' is invalid; "
                        + "expected key=value. Fix: write it as for example 'schema_owner=app'.");
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    // ------------------------------------------------------------------ examples

    @WithVolume
    @RestoredFrom("classpath:stateful-test/dumps/missing.dump")
    static class MissingDump {
        @Test
        void test(StatefulPostgres db) {
        }
    }

    @WithVolume
    @MigratedTo(value = "9", locations = MigratedToRestoredFromTest.BASIC)
    static class UnknownTarget {
        @Test
        void test(StatefulPostgres db) {
        }
    }

    static class UnknownTargetOnMethod {
        @Test
        @WithVolume
        @MigratedTo(value = "2.5", locations = MigratedToRestoredFromTest.BASIC)
        void test(StatefulPostgres db) {
        }
    }

    @WithVolume
    static class OuterWithVolume {
        @Test
        void outer() {
        }

        @org.junit.jupiter.api.Nested
        @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
        class NestedMigrated {
            @Test
            void inner() {
            }
        }
    }

    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class MigratedWithoutVolume {
        @Test
        void test() {
        }
    }

    static class RestoredWithoutVolume {
        @Test
        @RestoredFrom("classpath:stateful-test/dumps/tiny.sql")
        void test() {
        }
    }

    @WithVolume
    @MigratedTo(locations = "classpath:stateful-test/migrations/placeholders", placeholders = {"table_name",
            "default_label=x"})
    static class BadPlaceholder {
        @Test
        void test(StatefulPostgres db) {
        }
    }
}
