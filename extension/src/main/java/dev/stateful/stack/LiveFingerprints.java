package dev.stateful.stack;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.error.StatefulException;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.stack.ComposeService;
import dev.stateful.internal.stack.VolumeMount;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The fingerprint of a service of a live Compose project, in the form {@link StatefulStack#fingerprint()}
 * gives for the same service: Postgres over JDBC with the login of the compose file, Redis with the Redis
 * client (authenticated when the command sets a password), any other service's named volumes through the
 * Docker archive API. The project's ports need not be published: a container's address on its network
 * serves where the engine runs on this host.
 */
final class LiveFingerprints {
    private LiveFingerprints() {
    }

    /**
     * Fingerprint one live service, waiting (up to {@code timeout}) for a store that restarts to answer.
     *
     * @param kind the same service in a {@link StatefulStack} of the compose file: says how to read it
     */
    static Object of(DockerEngine engine, ServiceRuntime kind, ComposeService service, String containerId,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return read(engine, kind, service, containerId);
            } catch (SQLException | JedisException e) {
                if (System.nanoTime() > deadline) {
                    throw new StatefulException("cannot read service '" + service.name() + "' of the live project "
                            + "(container " + containerId + ") within " + timeout.toSeconds() + " s: " + e.getMessage()
                            + "; expected it to answer once started again. Fix: check that it runs "
                            + "(docker logs " + containerId + ").", e);
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StatefulException("interrupted while reading service '" + service.name() + "'", interrupted);
                }
            }
        }
    }

    private static Object read(DockerEngine engine, ServiceRuntime kind, ComposeService service, String containerId)
            throws SQLException {
        if (kind instanceof PostgresService) {
            InetSocketAddress at = engine.reachableAddress(containerId, 5432);
            Map<String, String> env = service.environment();
            String user = env.getOrDefault("POSTGRES_USER", "postgres");
            Properties login = new Properties();
            login.setProperty("user", user);
            login.setProperty("password", env.getOrDefault("POSTGRES_PASSWORD", ""));
            login.setProperty("connectTimeout", "5");
            String url = "jdbc:postgresql://" + at.getHostString() + ":" + at.getPort() + "/"
                    + env.getOrDefault("POSTGRES_DB", user);
            try (Connection c = DriverManager.getConnection(url, login)) {
                return DatabaseFingerprint.of(c);
            }
        }
        if (kind instanceof RedisService) {
            InetSocketAddress at = engine.reachableAddress(containerId, RedisService.PORT);
            try (Jedis jedis = new Jedis(at.getHostString(), at.getPort(), 10_000)) {
                RedisService.password(service).ifPresent(jedis::auth);
                TreeMap<String, String> keys = new TreeMap<>();
                RedisKeys.read(jedis, keys);
                return keys;
            }
        }
        TreeMap<String, String> files = new TreeMap<>();
        for (VolumeMount mount : service.volumes()) {
            if (mount.named()) {
                VolumeFiles.read(engine, containerId, mount.source(), mount.target(), files);
            }
        }
        return files;
    }
}
