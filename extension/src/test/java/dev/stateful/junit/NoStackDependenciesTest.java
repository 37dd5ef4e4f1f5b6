package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.stateful.internal.engine.DockerEngine;
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
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String classpath = entries.stream().filter(e -> Arrays.stream(leftOut)
                .noneMatch(prefix -> Path.of(e).getFileName().toString().startsWith(prefix)))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classpath.split(File.pathSeparator)).as("the jars are left out").hasSize(entries.size() - leftOut.length);
        Path output = dir.resolve("probe.out");
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, NoStackDependenciesTest.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("STATEFUL_CACHE", "off");
        Process process = pb.start();
        try {
            assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("probe finished").isTrue();
        } finally {
            process.destroyForcibly().waitFor();
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** The probe: runs in the JVM without the jars. */
    public static void main(String[] args) {
        var results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(NoStackDependenciesSamples.StackClass.class)).execute();
        results.allEvents().failed().stream().forEach(event -> event.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .ifPresent(t -> System.out.println("FAILURE " + t.getClass().getName() + ": " + t.getMessage())));
        System.out.println("SUCCEEDED " + results.testEvents().succeeded().count() + " FAILED "
                + results.allEvents().failed().count());
        System.out.flush();
        System.exit(0);
    }
}
