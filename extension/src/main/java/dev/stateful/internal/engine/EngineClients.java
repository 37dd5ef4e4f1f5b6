package dev.stateful.internal.engine;

import com.github.dockerjava.api.DockerClient;
import dev.stateful.internal.engine.DeadlineCalls.DockerCall;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * The two docker-java clients of one engine connection and the deadlines calls through them get:
 * one client for streams and calls that last as long as the server side takes, one with a socket
 * deadline for short calls.
 */
final class EngineClients {
    private static final Logger LOG = LoggerFactory.getLogger(EngineClients.class);
    /**
     * Clients for short calls, one per engine deadline: their socket gives up a few seconds after
     * the deadline, so the worker of a call to an engine that stopped answering is released
     * instead of staying blocked on a read for as long as the connection lives.
     */
    private static final Map<Duration, DockerClient> SHORT_CALL_CLIENTS = new ConcurrentHashMap<>();
    /** How much longer than the engine deadline a short call's socket waits for the response. */
    private static final Duration SOCKET_MARGIN = Duration.ofSeconds(5);

    /** For streams and calls that last as long as the server side takes (exec, logs, archives, stop, kill, wait, pull). */
    final DockerClient client;
    /** For short calls (inspect, list, create, start, remove), with a socket deadline. */
    final DockerClient calls;
    final Duration commandTimeout;
    final Duration engineTimeout;
    private final TransportConfig transport;

    EngineClients(DockerClient client, TransportConfig transport, Duration commandTimeout, Duration engineTimeout) {
        this.client = client;
        this.transport = transport;
        this.calls = shortCallClient(client, transport, engineTimeout);
        this.commandTimeout = commandTimeout;
        this.engineTimeout = engineTimeout;
    }

    /** The same connection with other deadlines. */
    EngineClients withTimeouts(Duration command, Duration engine) {
        return new EngineClients(client, transport, command, engine);
    }

    /**
     * A client on the same engine as Testcontainers' own whose socket reads give up shortly after
     * {@code engineTimeout}. Testcontainers' client has no response deadline; where the one of
     * this class cannot be built (another Testcontainers layout), short calls share it and only
     * the caller's deadline holds.
     */
    private static DockerClient shortCallClient(DockerClient shared, TransportConfig config, Duration engineTimeout) {
        if (config == null) {
            return shared;
        }
        return SHORT_CALL_CLIENTS.computeIfAbsent(engineTimeout, deadline -> {
            try {
                var http = new com.github.dockerjava.zerodep.ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .sslConfig(config.getSslConfig())
                        .connectionTimeout(deadline)
                        .responseTimeout(deadline.plus(SOCKET_MARGIN))
                        .build();
                var clientConfig = org.testcontainers.shaded.com.github.dockerjava.core.DefaultDockerClientConfig
                        .createDefaultConfigBuilder().withDockerHost(config.getDockerHost().toString()).build();
                return org.testcontainers.shaded.com.github.dockerjava.core.DockerClientImpl.getInstance(clientConfig, http);
            } catch (LinkageError | RuntimeException e) {
                LOG.debug("no client with a socket deadline ({}); short calls share Testcontainers' client", e.toString());
                return shared;
            }
        });
    }

    /** Run a call within the engine deadline, every failure an {@code EngineException}. */
    <T> T call(String what, DockerCall<T> call) {
        return DeadlineCalls.call(what, engineTimeout, call);
    }

    /** Run a call within the engine deadline, the body's unchecked exceptions passed on as they are. */
    <T> T bounded(String what, Callable<T> body) {
        return DeadlineCalls.bounded(what, engineTimeout, body);
    }

    static void closeQuietly(Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.debug("closing a stream failed: {}", e.toString());
            }
        }
    }
}
