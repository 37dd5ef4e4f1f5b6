package dev.stateful.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class EngineMessagesTest {

    @Test
    void unavailableWithoutDockerHost() {
        RuntimeException cause = new IllegalStateException("Could not find a valid Docker environment",
                new IOException("connect: no such file or directory"));
        assertThat(EngineMessages.unavailable(null, cause)).isEqualTo(
                "No Docker engine is reachable (DOCKER_HOST is not set, so the local socket was tried): Could not find "
                        + "a valid Docker environment (connect: no such file or directory). Stateful runs Postgres in "
                        + "containers and needs a running Docker engine. Fix: start Docker (for example 'sudo systemctl "
                        + "start docker'), or set DOCKER_HOST to a reachable engine (for example "
                        + "DOCKER_HOST=tcp://build-host:2376); on a machine without one, skip the container "
                        + "tests with the JUnit tag 'docker' (mvn test -DexcludedGroups=docker).");
    }

    @Test
    void unavailableWithDockerHost() {
        assertThat(EngineMessages.unavailable("tcp://build-host:2376", new IllegalStateException("refused")))
                .startsWith("No Docker engine is reachable (DOCKER_HOST=tcp://build-host:2376): refused. ");
        assertThat(EngineMessages.unavailable(" ", new IllegalStateException()))
                .startsWith("No Docker engine is reachable (DOCKER_HOST is not set, so the local socket was tried): "
                        + "IllegalStateException. ");
    }

    @Test
    void dockerHostIgnored() {
        assertThat(EngineMessages.dockerHostIgnored("tcp://127.0.0.1:1", URI.create("unix:///var/run/docker.sock")))
                .isEqualTo("No Docker engine is reachable at DOCKER_HOST=tcp://127.0.0.1:1; Testcontainers fell back to "
                        + "the engine at unix:///var/run/docker.sock, which Stateful does not use in its place, because "
                        + "named volumes and their data belong to one engine. Fix: start the engine DOCKER_HOST names "
                        + "(for example 'sudo systemctl start docker' on its host), set DOCKER_HOST to a reachable "
                        + "engine, or unset DOCKER_HOST to use unix:///var/run/docker.sock.");
    }

    @Test
    void imageMissingShowsTheDaemonsReason() {
        String daemon = "Status 500: {\"message\":\"Get \\\"https://registry.invalid/v2/\\\": dial tcp: lookup "
                + "registry.invalid: no such host\"}\n";
        assertThat(EngineMessages.imageMissing("postgres:17", daemon)).isEqualTo(
                "image 'postgres:17' is not available locally and could not be pulled (Get "
                        + "\"https://registry.invalid/v2/\": dial tcp: lookup registry.invalid: no such host); "
                        + "expected a Postgres image such as postgres:17. Fix: pull or build it first ('docker pull "
                        + "postgres:17'), or choose a local image with @WithVolume(image = ...), the stateful.image "
                        + "configuration parameter, or STATEFUL_IMAGE.");
    }

    @Test
    void daemonMessage() {
        assertThat(EngineMessages.daemonMessage(null)).isEqualTo("no reason given");
        assertThat(EngineMessages.daemonMessage("  plain text\n")).isEqualTo("plain text");
        assertThat(EngineMessages.daemonMessage("Status 404: {\"message\":\"pull access denied for x\"}"))
                .isEqualTo("pull access denied for x");
    }

    @Test
    void dockerHostIsUsedOrIgnored() {
        URI socket = URI.create("unix:///var/run/docker.sock");
        assertThat(EngineConnector.ignoresDockerHost(null, socket, false)).isFalse();
        assertThat(EngineConnector.ignoresDockerHost("", socket, false)).isFalse();
        assertThat(EngineConnector.ignoresDockerHost("unix:///var/run/docker.sock", socket, false)).isFalse();
        assertThat(EngineConnector.ignoresDockerHost("tcp://LOCALHOST:2375", URI.create("tcp://localhost:2375"), false)).isFalse();
        assertThat(EngineConnector.ignoresDockerHost("tcp://127.0.0.1:1", socket, false)).isTrue();
        assertThat(EngineConnector.ignoresDockerHost("unix:///run/user/1000/docker.sock", socket, false)).isTrue();
        assertThat(EngineConnector.ignoresDockerHost("tcp://127.0.0.1:1", socket, true)).as("tc.host wins").isFalse();
        assertThat(EngineConnector.ignoresDockerHost("::not a uri", socket, false)).isFalse();
    }
}
