package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.engine.TestImages;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What a user sees for bad input to {@code @WithVolume}: the exact messages, and that nothing
 * is created in Docker before the error (every example is checked against the containers and
 * volumes this JVM owns).
 */
@Tag("docker")
@Tag("also-on-junit6")
class WithVolumeErrorsTest {
    private static final DockerEngine ENGINE = DockerEngine.get();
    private static final Set<String> NAMED_IN_EXAMPLES = Set.of(SameVolume.NAME, SameVolumePerClass.NAME, NestedSameVolume.NAME);

    private Set<String> volumesBefore;
    private Set<String> containersBefore;

    @BeforeEach
    void snapshot() {
        volumesBefore = ownVolumes();
        containersBefore = ownContainers();
    }

    @AfterEach
    void nothingCreated() {
        assertThat(ownVolumes()).as("volumes of this run").isEqualTo(volumesBefore);
        assertThat(ownContainers()).as("containers of this run").isEqualTo(containersBefore);
        for (String name : NAMED_IN_EXAMPLES) {
            assertThat(ENGINE.volumeExists(name)).as("volume " + name).isFalse();
        }
    }

    @AfterAll
    static void removeWhatAFailedCheckLeft() {
        // Only if a check above failed: remove the examples' volumes, if this run created them.
        for (String name : NAMED_IN_EXAMPLES) {
            ENGINE.volumeLabels(name).filter(l -> Labels.runId().equals(l.get(Labels.RUN)))
                    .ifPresent(l -> ENGINE.removeVolume(name));
        }
    }

    @Test
    void invalidVolumeName() {
        Throwable failure = Kit.onlyFailure(Kit.run(BadName.class));
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@WithVolume on WithVolumeErrorsTest.BadName: volume name 'bad name!' is invalid; expected 2 to 200 "
                        + "characters, starting with a letter or digit, then only letters, digits, '_', '.' or '-'. "
                        + "Fix: use a name such as 'orders-db', or leave the name out to get a generated one.");
    }

    @Test
    void imageThatCannotBePulled() {
        Throwable failure = Kit.onlyFailure(Kit.run(MissingImage.class));
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage())
                .startsWith("@WithVolume on WithVolumeErrorsTest.MissingImage: image 'stateful-test/does-not-exist:1' "
                        + "is not available locally and could not be pulled (")
                .endsWith("); expected a Postgres image such as postgres:17. Fix: pull or build it first "
                        + "('docker pull stateful-test/does-not-exist:1'), or choose a local image with "
                        + "@WithVolume(image = ...), the stateful.image configuration parameter, or STATEFUL_IMAGE.")
                .as("the daemon's reason, without its JSON wrapping").doesNotContain("{\"message\"").doesNotContain("\n");
    }

    @Test
    void imageThatIsNotPostgres() {
        String image = TestImages.importNotPostgres("stateful-test/not-postgres", VolumeNames.generate("t").substring(9));
        try {
            Throwable failure = Kit.onlyFailure(Kit.run(Map.of("stateful.image", image), DefaultImage.class));
            assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                    "@WithVolume on WithVolumeErrorsTest.DefaultImage: image '" + image + "' does not look like a "
                            + "Postgres image: its configuration sets no PGDATA; expected the official postgres image "
                            + "or one built FROM it. Fix: use an image such as postgres:17.");
        } finally {
            TestImages.remove(image);
        }
        assertThat(TestImages.exists(image)).isFalse();
    }

    @Test
    void parameterWithoutAnyWithVolume() {
        // The extension is not registered at all: JUnit itself answers.
        Throwable failure = Kit.onlyFailure(Kit.run(NoAnnotation.class));
        assertThat(failure).isInstanceOf(ParameterResolutionException.class).hasMessage(
                "No ParameterResolver registered for parameter [dev.stateful.StatefulPostgres arg0] in method "
                        + "[void dev.stateful.junit.WithVolumeErrorsTest$NoAnnotation.test(dev.stateful.StatefulPostgres)].");
    }

    @Test
    void constructorParameterWithOnlyAMethodLevelWithVolume() {
        // The method's @WithVolume registers the extension, but the constructor runs before its container.
        Throwable failure = Kit.onlyFailure(Kit.run(ConstructorWithMethodLevel.class));
        assertThat(failure).isInstanceOf(ParameterResolutionException.class).hasMessage(
                "No @WithVolume in scope for parameter [dev.stateful.StatefulPostgres arg0] of the constructor of "
                        + "WithVolumeErrorsTest.ConstructorWithMethodLevel; expected @WithVolume on the test class or an "
                        + "enclosing class, because the constructor runs before the @WithVolume of a test method starts "
                        + "its container. Fix: annotate the class (one container for all its tests), or take the "
                        + "parameter in the test method instead of the constructor.");
    }

    @Test
    void methodNamingTheClassVolume() {
        EngineExecutionResults results = Kit.run(SameVolume.class);
        assertThat(Kit.onlyFailure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                sameVolume("WithVolumeErrorsTest.SameVolume.own()", SameVolume.NAME, "WithVolumeErrorsTest.SameVolume"));
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @Test
    void methodNamingTheClassVolumeWithConstructorInjection() {
        // PER_CLASS: the constructor asks for the handle before beforeAll; still nothing may start.
        EngineExecutionResults results = Kit.run(SameVolumePerClass.class);
        assertThat(Kit.onlyFailure(results)).hasMessage(sameVolume("WithVolumeErrorsTest.SameVolumePerClass.own()",
                SameVolumePerClass.NAME, "WithVolumeErrorsTest.SameVolumePerClass"));
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @Test
    void nestedClassNamingTheOuterVolume() {
        EngineExecutionResults results = Kit.run(NestedSameVolume.class);
        assertThat(Kit.onlyFailure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                sameVolume("WithVolumeErrorsTest.NestedSameVolume.Inner", NestedSameVolume.NAME,
                        "WithVolumeErrorsTest.NestedSameVolume"));
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    private static String sameVolume(String inner, String volume, String owner) {
        return "@WithVolume on " + inner + ": volume '" + volume + "' is also the volume of the @WithVolume on " + owner
                + "; expected a volume of its own, because two Postgres servers on one data directory corrupt it. "
                + "Fix: name another volume here, leave the name out to get a generated one, or remove this "
                + "@WithVolume to use the container of " + owner + ".";
    }

    private static Set<String> ownVolumes() {
        return ENGINE.volumesLabelled(Labels.RUN, Labels.runId()).keySet();
    }

    private static Set<String> ownContainers() {
        return ENGINE.containersLabelled(Labels.RUN, Labels.runId()).keySet();
    }

    // ------------------------------------------------------------------ examples

    @WithVolume(name = "bad name!")
    static class BadName {
        @Test
        void test(StatefulPostgres db) {
        }
    }

    @WithVolume(image = "stateful-test/does-not-exist:1")
    static class MissingImage {
        @Test
        void test(StatefulPostgres db) {
        }
    }

    @WithVolume
    static class DefaultImage {
        @Test
        void test(StatefulPostgres db) {
        }
    }

    static class NoAnnotation {
        @Test
        void test(StatefulPostgres db) {
        }
    }

    static class ConstructorWithMethodLevel {
        ConstructorWithMethodLevel(StatefulPostgres db) {
        }

        @Test
        @WithVolume
        void test(StatefulPostgres db) {
        }
    }

    @WithVolume(name = SameVolume.NAME)
    static class SameVolume {
        static final String NAME = "stateful-test-errors-same-volume";

        @Test
        void shared(StatefulPostgres db) {
        }

        @Test
        @WithVolume(name = NAME)
        void own(StatefulPostgres db) {
        }
    }

    @WithVolume(name = SameVolumePerClass.NAME)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class SameVolumePerClass {
        static final String NAME = "stateful-test-errors-same-volume-per-class";

        SameVolumePerClass(StatefulPostgres db) {
        }

        @Test
        @WithVolume(name = NAME)
        void own(StatefulPostgres db) {
        }
    }

    @WithVolume(name = NestedSameVolume.NAME)
    static class NestedSameVolume {
        static final String NAME = "stateful-test-errors-same-volume-nested";

        @Test
        void outer(StatefulPostgres db) {
        }

        @Nested
        @WithVolume(name = NAME)
        class Inner {
            @Test
            void inner(StatefulPostgres db) {
            }
        }
    }
}
