package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.DockerEngine;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Where {@code @WithVolume} puts containers and what it injects: class level, method level,
 * {@code @Nested}, meta-annotation, PER_CLASS constructor injection, DataSource, and the log
 * tail on failures. One kit run for all, so that the containers start once.
 */
@Tag("docker")
@Tag("also-on-junit6")
class WithVolumeLifecycleTest {
    private static EngineExecutionResults results;
    private static final DockerEngine ENGINE = DockerEngine.get();

    @BeforeAll
    static void runExamples() {
        Captured.clear();
        // A server of its own per class; SharedServerTest covers the default, a database per class on a shared server.
        results = Kit.run(Map.of("stateful.server", "own"), ClassLevel.class, MetaAnnotated.class, PerClass.class,
                Failing.class);
    }

    @Test
    void examplesPassExceptTheDeliberateFailure() {
        results.testEvents().assertStatistics(s -> s.started(9).succeeded(8).failed(1));
        results.containerEvents().assertStatistics(s -> s.failed(0));
    }

    @Test
    void classLevelSharesOneContainerAndRemovesItAfterAll() {
        assertThat(Captured.all("class.container")).hasSize(2).containsOnly(Captured.all("class.container").get(0));
        String volume = Captured.all("class.volume").get(0).toString();
        assertThat(volume).startsWith("stateful-ClassLevel-");
        assertThat(Captured.all("class.volumeExistedDuring")).containsOnly(true);
        assertThat(ENGINE.volumeExists(volume)).as("generated volume removed after all").isFalse();
        assertThat(ENGINE.status(Captured.all("class.container").get(0).toString()).exists()).isFalse();
    }

    @Test
    void methodLevelGetsItsOwnContainerRemovedAfterTheMethod() {
        String own = Captured.only("method.container");
        assertThat(own).isNotEqualTo(Captured.all("class.container").get(0));
        assertThat(Captured.only("method.volume")).startsWith("stateful-ClassLevel-ownContainer-");
        assertThat(Captured.only("method.volumeExistsInNextTest")).isEqualTo("false");
        assertThat(Captured.only("method.classVolumeExistsInNextTest")).isEqualTo("true");
        assertThat(ENGINE.status(own).exists()).isFalse();
    }

    @Test
    void nestedClassSeesTheOuterHandle() {
        assertThat(Captured.only("nested.container")).isEqualTo(Captured.all("class.container").get(0));
    }

    @Test
    void dataSourceConnectsToTheSameServer() {
        assertThat(Captured.only("datasource.db")).isEqualTo("test");
        assertThat(Captured.only("datasource.sameVolumeAsHandle")).isEqualTo("true");
    }

    @Test
    void settingsWithoutAttributeOrParameterComeFromTheEnvironment() {
        String env = System.getenv("STATEFUL_IMAGE");
        assertThat(Captured.only("class.image"))
                .isEqualTo(env == null || env.isBlank() ? "postgres:17" : env);
    }

    @Test
    void metaAnnotationWorks() {
        assertThat(Captured.only("meta.database")).isEqualTo("metadb");
        assertThat(Captured.only("meta.currentDatabase")).isEqualTo("metadb");
    }

    @Test
    void perClassConstructorGetsTheClassHandle() {
        assertThat(Captured.only("perclass.sameHandle")).isEqualTo("true");
    }

    @Test
    void failureCarriesTheContainerLogTail() {
        Throwable failure = Kit.onlyFailure(results);
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("deliberate");
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(failure.getSuppressed()[0].getMessage())
                .startsWith("Last 50 log lines of StatefulPostgres[volume=stateful-Failing-")
                .contains("database system is ready to accept connections");
    }

    // ------------------------------------------------------------------ examples

    @WithVolume
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassLevel {
        @Test
        @Order(1)
        void first(StatefulPostgres db) {
            Captured.add("class.container", db.containerId());
            Captured.add("class.volume", db.volumeName());
            Captured.add("class.image", db.image());
            Captured.add("class.volumeExistedDuring", DockerEngine.get().volumeExists(db.volumeName()));
        }

        @Test
        @Order(2)
        void second(StatefulPostgres db) {
            Captured.add("class.container", db.containerId());
            Captured.add("class.volumeExistedDuring", DockerEngine.get().volumeExists(db.volumeName()));
        }

        @Test
        @Order(3)
        @WithVolume
        void ownContainer(StatefulPostgres db) {
            Captured.add("method.container", db.containerId());
            Captured.add("method.volume", db.volumeName());
        }

        @Test
        @Order(4)
        void afterOwnContainer(StatefulPostgres db) {
            String methodVolume = Captured.only("method.volume");
            Captured.add("method.volumeExistsInNextTest", DockerEngine.get().volumeExists(methodVolume));
            Captured.add("method.classVolumeExistsInNextTest", DockerEngine.get().volumeExists(db.volumeName()));
        }

        @Test
        @Order(5)
        void dataSource(DataSource ds, StatefulPostgres db) throws Exception {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE probe (volume text)");
                s.execute("INSERT INTO probe VALUES ('" + db.volumeName() + "')");
                try (ResultSet rs = s.executeQuery("SELECT current_database()")) {
                    rs.next();
                    Captured.add("datasource.db", rs.getString(1));
                }
            }
            try (Connection c = db.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT volume FROM probe")) {
                rs.next();
                Captured.add("datasource.sameVolumeAsHandle", db.volumeName().equals(rs.getString(1)));
            }
        }

        @Nested
        class Inner {
            @Test
            void seesOuter(StatefulPostgres db) {
                Captured.add("nested.container", db.containerId());
            }
        }
    }

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @WithVolume(database = "metadb")
    @interface MetaDatabaseTest {
    }

    @MetaDatabaseTest
    static class MetaAnnotated {
        @Test
        void usesTheMetaAnnotationsSettings(StatefulPostgres db) throws Exception {
            Captured.add("meta.database", db.database());
            try (Connection c = db.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_database()")) {
                rs.next();
                Captured.add("meta.currentDatabase", rs.getString(1));
            }
        }
    }

    @WithVolume
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClass {
        private final StatefulPostgres fromConstructor;

        PerClass(StatefulPostgres db) {
            this.fromConstructor = db;
        }

        @Test
        void constructorAndMethodGetTheSameHandle(StatefulPostgres db) {
            Captured.add("perclass.sameHandle", fromConstructor == db && db.isRunning());
        }
    }

    @WithVolume
    static class Failing {
        @Test
        void fails(StatefulPostgres db) {
            throw new AssertionError("deliberate failure on " + db.volumeName());
        }
    }
}
