package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when DOCKER_HOST names an engine that does not answer. Testcontainers keeps
 * its client per JVM, so {@link EngineUnavailableProbe} runs the example in a JVM of its own.
 */
class EngineUnavailableTest {

    @Test
    @Timeout(60)
    void dockerHostThatDoesNotAnswer(@TempDir Path home) throws Exception {
        String output = runProbe(home, "tcp://127.0.0.1:1");
        String line = output.lines().filter(l -> l.startsWith(EngineUnavailableProbe.MARKER)).findFirst()
                .orElseThrow(() -> new AssertionError("no failure line in the probe's output:\n" + output));
        // Where another engine answers on the local socket, Testcontainers falls back to it, which
        // Stateful refuses to use in place of DOCKER_HOST; where no engine exists at all (a machine
        // without Docker), Testcontainers finds none.
        assertThat(line).satisfiesAnyOf(
                l -> assertThat(l).startsWith(EngineUnavailableProbe.MARKER + "dev.stateful.error.EngineUnavailableException: "
                                + "No Docker engine is reachable at DOCKER_HOST=tcp://127.0.0.1:1; ")
                        .contains("Testcontainers fell back to the engine at ")
                        .contains("which Stateful does not use in its place, because named volumes and their data "
                                + "belong to one engine. Fix: start the engine DOCKER_HOST names (for example "
                                + "'sudo systemctl start docker' on its host), set DOCKER_HOST to a reachable engine, "
                                + "or unset DOCKER_HOST to use "),
                l -> assertThat(l).startsWith(EngineUnavailableProbe.MARKER + "dev.stateful.error.EngineUnavailableException: "
                                + "No Docker engine is reachable (DOCKER_HOST=tcp://127.0.0.1:1): ")
                        .contains("Stateful runs Postgres in containers and needs a running Docker engine. "
                                + "Fix: start Docker (for example 'sudo systemctl start docker'), or set DOCKER_HOST to a "
                                + "reachable engine"));
    }

    private static String runProbe(Path home, String dockerHost) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path output = home.resolve("probe.out");
        ProcessBuilder pb = new ProcessBuilder(java, "-Duser.home=" + home, // no ~/.testcontainers.properties
                "-cp", System.getProperty("java.class.path"), EngineUnavailableProbe.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = pb.environment();
        for (String name : List.of("DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "TESTCONTAINERS_DOCKER_CLIENT_STRATEGY")) {
            env.remove(name);
        }
        env.put("DOCKER_HOST", dockerHost);
        // Inside a container, Testcontainers would otherwise run a helper container to find the
        // gateway address, and pull its image: not what this test is about.
        env.putIfAbsent("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
        env.putIfAbsent("TESTCONTAINERS_RYUK_DISABLED", "true");
        Process process = pb.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("probe did not finish within 30 s; its output:\n" + Files.readString(output));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("probe exit code; its output:\n" + text).isZero();
        return text;
    }
}
