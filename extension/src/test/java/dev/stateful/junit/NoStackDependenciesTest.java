package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.testing.ProbeJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SnakeYAML and Jedis are optional dependencies: in a JVM whose classpath is this one's minus their
 * jars, a {@code @WithStack} class fails with a message naming the missing dependency and how to add it,
 * before any container, volume or network is created.
 */
class NoStackDependenciesTest {
    private static final String FILE = "compose file 'src/test/resources/stack/docker-compose.yml'";

    @Test
    @Timeout(180)
    void withoutSnakeYamlTheClassFailsNamingTheDependency(@TempDir Path dir) throws Exception {
        String text = probe(dir, "snakeyaml-", "jedis-");
        assertThat(text).as(text).contains("FAILURE org.junit.jupiter.api.extension.ExtensionConfigurationException: "
                + "@WithStack on StackClass: " + FILE + " needs org.yaml:snakeyaml on the test classpath to be read, "
                + "and it is not there; expected SnakeYAML 2.x. Fix: add the test dependency org.yaml:snakeyaml:2.5 "
                + "(Maven: <scope>test</scope>; Gradle: testImplementation).").contains("SUCCEEDED 0 FAILED 1")
                .doesNotContain("STARTED");
    }

    @Test
    @Tag("docker")
    @Timeout(180)
    void withoutJedisAStackWithRedisFailsNamingTheServiceAndTheDependency(@TempDir Path dir) throws Exception {
        DockerEngine.get().image("redis:7-bookworm");   // present, so that only Jedis is missing
        String text = probe(dir, "jedis-");
        assertThat(text).as(text).contains("FAILURE org.junit.jupiter.api.extension.ExtensionConfigurationException: "
                + "@WithStack on StackClass: " + FILE + ", service 'cache' runs Redis, which needs redis.clients:jedis "
                + "on the test classpath (its keys are read and reset with it), and it is not there; expected Jedis 5.x. "
                + "Fix: add the test dependency redis.clients:jedis:5.2.0 (Maven: <scope>test</scope>; Gradle: "
                + "testImplementation).").contains("SUCCEEDED 0 FAILED 1").doesNotContain("STARTED")
                .doesNotContain("starting service");
    }

    private static String probe(Path dir, String... leftOut) throws Exception {
        return ProbeJvm.withThisClasspath().without(leftOut).run(dir, NoStackDependenciesTest.class, 150);
    }

    /** The probe: runs in the JVM without the jars. */
    public static void main(String[] args) {
        ProbeJvm.runAndPrint(NoStackDependenciesSamples.StackClass.class);
        System.exit(0);
    }
}
