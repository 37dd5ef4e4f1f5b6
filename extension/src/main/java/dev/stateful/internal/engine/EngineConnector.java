package dev.stateful.internal.engine;

import com.github.dockerjava.api.DockerClient;
import dev.stateful.error.EngineUnavailableException;
import java.net.URI;
import java.util.Locale;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.TransportConfig;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * Connect to the Docker engine through Testcontainers' client factory, refusing another engine
 * than the one {@code DOCKER_HOST} names.
 */
final class EngineConnector {
    private EngineConnector() {
    }

    static DockerEngine connect(EngineSettings settings) {
        String dockerHost = settings.dockerHost().orElse(null);
        DockerClientFactory factory;
        DockerClient client;
        TransportConfig transport;
        URI used;
        try {
            factory = DockerClientFactory.instance();
            client = factory.client();
            transport = factory.getTransportConfig();
            used = transport.getDockerHost();
        } catch (RuntimeException e) {
            throw new EngineUnavailableException(EngineMessages.unavailable(dockerHost, e), e);
        }
        // Testcontainers falls back to the local socket when DOCKER_HOST does not answer. Named
        // volumes and their data live on one engine, so Stateful does not silently use another.
        boolean tcHost = TestcontainersConfiguration.getInstance().getUserProperty("tc.host", null) != null;
        if (ignoresDockerHost(dockerHost, used, tcHost)) {
            throw new EngineUnavailableException(EngineMessages.dockerHostIgnored(dockerHost, used));
        }
        try {
            return new DockerEngine(new EngineClients(client, transport, settings.commandTimeout(),
                    settings.engineTimeout()), factory.dockerHostIpAddress());
        } catch (RuntimeException e) {
            throw new EngineUnavailableException(EngineMessages.unavailable(dockerHost, e), e);
        }
    }

    /**
     * Tell whether Testcontainers connected to another engine than the one DOCKER_HOST names.
     *
     * @param dockerHost the DOCKER_HOST variable, or null
     * @param used the engine Testcontainers connected to
     * @param tcHostConfigured whether {@code tc.host} is configured (it takes precedence over DOCKER_HOST)
     * @return {@code true} when DOCKER_HOST was set, not overridden, and not used
     */
    static boolean ignoresDockerHost(String dockerHost, URI used, boolean tcHostConfigured) {
        if (dockerHost == null || dockerHost.isBlank() || tcHostConfigured || used == null) {
            return false;
        }
        URI wanted;
        try {
            wanted = URI.create(dockerHost.strip());
        } catch (IllegalArgumentException e) {
            return false; // Testcontainers reports a malformed DOCKER_HOST itself
        }
        return !endpoint(wanted).equals(endpoint(used));
    }

    private static String endpoint(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("unix") || scheme.equals("npipe")) {
            return scheme + ":" + uri.getPath().replaceAll("/+$", "");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return "tcp:" + host + ":" + uri.getPort();
    }
}
