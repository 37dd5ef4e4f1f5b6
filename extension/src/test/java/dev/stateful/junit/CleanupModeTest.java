package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.TestAbortedException;

/**
 * What {@code @WithVolume(cleanup = ...)} leaves behind. Explicit names must be unique to this
 * run (other runs may share the engine), and annotation attributes are constants, so the
 * examples with explicit names are compiled at run time with this run's names.
 */
@Tag("docker")
@Tag("also-on-junit6")
class CleanupModeTest {
    private static final DockerEngine ENGINE = DockerEngine.get();
    private static final String SUFFIX = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private static final String KEPT = "stateful-test-kept-" + SUFFIX;
    private static final String ALWAYS = "stateful-test-always-" + SUFFIX;

    /** Volumes the examples keep on purpose; removed after all. */
    private static final Set<String> KEPT_BY_EXAMPLES = ConcurrentHashMap.newKeySet();

    private static Class<?> explicitDefault;
    private static Class<?> explicitAlways;

    @BeforeAll
    static void compileExamplesWithThisRunsNames(@TempDir Path dir) throws Exception {
        Class<?> examples = RuntimeClasses.compile(dir, "generated.ExplicitNames", """
                package generated;

                import dev.stateful.StatefulPostgres;
                import dev.stateful.internal.engine.DockerEngine;
                import dev.stateful.junit.Captured;
                import dev.stateful.junit.CleanupMode;
                import dev.stateful.junit.WithVolume;
                import java.sql.Connection;
                import java.sql.ResultSet;
                import java.sql.Statement;
                import org.junit.jupiter.api.Test;

                public class ExplicitNames {
                    @WithVolume(name = "%s")
                    public static class Default {
                        @Test
                        void countsRuns(StatefulPostgres db) throws Exception {
                            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                                s.execute("CREATE TABLE IF NOT EXISTS runs (n serial)");
                                s.execute("INSERT INTO runs DEFAULT VALUES");
                                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM runs")) {
                                    rs.next();
                                    Captured.add("kept.rows", rs.getInt(1));
                                }
                            }
                        }
                    }

                    @WithVolume(name = "%s", cleanup = CleanupMode.ALWAYS)
                    public static class Always {
                        @Test
                        void runs(StatefulPostgres db) {
                            Captured.add("always.existedDuring", DockerEngine.get().volumeExists(db.volumeName()));
                        }
                    }
                }
                """.formatted(KEPT, ALWAYS));
        explicitDefault = Class.forName("generated.ExplicitNames$Default", true, examples.getClassLoader());
        explicitAlways = Class.forName("generated.ExplicitNames$Always", true, examples.getClassLoader());
    }

    @AfterAll
    static void removeKeptVolumes() {
        KEPT_BY_EXAMPLES.addAll(List.of(KEPT, ALWAYS));
        KEPT_BY_EXAMPLES.forEach(ENGINE::removeVolume);
    }

    @Test
    void explicitNameIsKeptAndTheNextRunSeesItsData() {
        Captured.clear();
        Kit.run(explicitDefault).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(ENGINE.volumeExists(KEPT)).as("kept after the first run").isTrue();
        assertThat(ENGINE.volumeLabels(KEPT).orElseThrow()).containsEntry(Labels.EPHEMERAL, "false");

        Kit.run(explicitDefault).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(Captured.all("kept.rows")).containsExactly(1, 2);
        assertThat(ENGINE.volumeExists(KEPT)).isTrue();
    }

    @Test
    void alwaysRemovesAnExplicitName() {
        Captured.clear();
        Kit.run(explicitAlways).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(Captured.all("always.existedDuring")).containsExactly(true);
        assertThat(ENGINE.volumeExists(ALWAYS)).isFalse();
    }

    @Test
    void generatedNameAndOnSuccess() {
        Captured.clear();
        EngineExecutionResults results = Kit.run(GeneratedDefault.class, OnSuccessFailing.class,
                OnSuccessPassing.class, OnSuccessAborted.class);
        KEPT_BY_EXAMPLES.addAll(Captured.all("onSuccess.failing.volume").stream().map(String::valueOf).toList());
        results.testEvents().assertStatistics(s -> s.started(6).succeeded(4).failed(1).aborted(1));

        assertThat(ENGINE.volumeExists(Captured.only("generated.volume"))).as("DEFAULT, generated name").isFalse();
        assertThat(ENGINE.volumeExists(Captured.only("onSuccess.failing.volume"))).as("ON_SUCCESS, a test failed").isTrue();
        assertThat(ENGINE.volumeExists(Captured.only("onSuccess.passing.volume"))).as("ON_SUCCESS, all passed").isFalse();
        assertThat(ENGINE.volumeExists(Captured.only("onSuccess.aborted.volume")))
                .as("ON_SUCCESS, one aborted and the others passed").isFalse();

        Throwable aborted = results.testEvents().aborted().stream().map(Kit::throwable).findFirst().orElseThrow().orElseThrow();
        assertThat(aborted).isInstanceOf(TestAbortedException.class);
        assertThat(aborted.getSuppressed()).as("no log tail on an aborted test").isEmpty();
    }

    // ------------------------------------------------------------------ examples

    @WithVolume
    static class GeneratedDefault {
        @Test
        void runs(StatefulPostgres db) {
            Captured.add("generated.volume", db.volumeName());
        }
    }

    @WithVolume(cleanup = CleanupMode.ON_SUCCESS)
    static class OnSuccessFailing {
        @Test
        void passes(StatefulPostgres db) {
            Captured.add("onSuccess.failing.volume", db.volumeName());
        }

        @Test
        void fails(StatefulPostgres db) {
            throw new AssertionError("deliberate");
        }
    }

    @WithVolume(cleanup = CleanupMode.ON_SUCCESS)
    static class OnSuccessPassing {
        @Test
        void passes(StatefulPostgres db) {
            Captured.add("onSuccess.passing.volume", db.volumeName());
        }
    }

    @WithVolume(cleanup = CleanupMode.ON_SUCCESS)
    static class OnSuccessAborted {
        @Test
        void passes(StatefulPostgres db) {
            Captured.add("onSuccess.aborted.volume", db.volumeName());
        }

        @Test
        void aborts(StatefulPostgres db) {
            assumeTrue(false, "deliberately aborted");
        }
    }
}
