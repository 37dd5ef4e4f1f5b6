package dev.stateful.stack;

import dev.stateful.error.StatefulException;
import dev.stateful.internal.stack.ComposeService;
import dev.stateful.internal.stack.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis service: ready when it answers PING, fingerprinted as every key of every database. A
 * password set with {@code --requirepass} in the service's command, or by {@code requirepass} in a
 * config file the command names (bind-mounted from the host), is used for every connection and never logged.
 * The baseline is a file of DUMP payloads, written and read as a stream, never held in the heap.
 */
final class RedisService extends ContainerService {
    static final int PORT = 6379;
    private static final Logger LOG = LoggerFactory.getLogger(RedisService.class);
    private final String password;
    private Path baseline;

    RedisService(StackContext stack, ComposeService definition) {
        super(stack, definition);
        this.password = password(definition).orElse(null);
    }

    /**
     * The password the service's command sets: {@code --requirepass X}, or a {@code requirepass X}
     * line of a config file that the command names and the service bind-mounts.
     */
    static Optional<String> password(ComposeService definition) {
        List<String> command = definition.command();
        String found = null;
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg.equals("--requirepass") && i + 1 < command.size()) {
                found = command.get(i + 1);
            } else if (!arg.startsWith("-") && found == null) {
                for (VolumeMount mount : definition.volumes()) {
                    if (!mount.named() && mount.target().equals(arg) && Files.isRegularFile(Path.of(mount.source()))) {
                        found = fromConfig(Path.of(mount.source())).orElse(null);
                    }
                }
            }
        }
        return Optional.ofNullable(found).filter(p -> !p.isEmpty());
    }

    private static Optional<String> fromConfig(Path config) {
        try {
            String value = null;
            for (String line : Files.readAllLines(config)) {
                String[] words = line.strip().split("\\s+", 2);
                if (words.length == 2 && words[0].equalsIgnoreCase("requirepass")) {
                    value = words[1].strip().replaceAll("^\"(.*)\"$", "$1");
                }
            }
            return Optional.ofNullable(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection to the service on its published port, authenticated when the service has a password. */
    private Jedis connect(int timeoutMillis) {
        Jedis jedis = new Jedis(StackContext.BIND_ADDRESS, port(PORT), timeoutMillis);
        if (password != null) {
            try {
                jedis.auth(password);
            } catch (JedisException e) {
                jedis.close();
                throw e;
            }
        }
        return jedis;
    }

    @Override
    Set<Integer> ports() {
        Set<Integer> ports = super.ports();
        ports.add(PORT);
        return ports;
    }

    @Override
    boolean ready() {
        try (Jedis jedis = connect(2000)) {
            return "PONG".equals(jedis.ping());
        } catch (JedisAccessControlException e) {
            throw refusedLogin(e);
        } catch (JedisDataException e) {
            if (String.valueOf(e.getMessage()).startsWith("NOAUTH")) {
                throw refusedLogin(e);
            }
            return false;
        } catch (JedisException e) {
            return false;
        }
    }

    private StatefulException refusedLogin(JedisException e) {
        String what = String.valueOf(e.getMessage()).split(" ")[0];
        return new StatefulException("Stack " + stack.project + ": service '" + name() + "' refused Stateful's login ("
                + what + "); expected the password its command sets with --requirepass (or requirepass in the config "
                + "file its command names), " + (password == null ? "and found none" : "which Stateful used")
                + ". Fix: set the password in the service's command: or in a bind-mounted redis.conf the command names.");
    }

    @Override
    synchronized void takeBaseline() {
        dropBaseline();
        long started = System.nanoTime();
        try {
            baseline = Files.createTempFile("stateful-redis-baseline-", ".bin");
            long keys;
            try (Jedis jedis = connect(10_000)) {
                keys = RedisKeys.copy(jedis, baseline);
            }
            LOG.info("Stack {}: baseline of service '{}': {} keys, {} bytes on disk, in {} ms", stack.project, name(), keys,
                    Files.size(baseline), (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new StatefulException("Stack " + stack.project + ": cannot write the baseline of service '" + name()
                    + "' to a temporary file: " + e.getMessage() + "; expected room in the temporary folder. Fix: free "
                    + "space in java.io.tmpdir or point it elsewhere.", e);
        }
    }

    @Override
    synchronized void resetToBaseline() {
        try (Jedis jedis = connect(10_000)) {
            RedisKeys.restore(jedis, baseline);
        } catch (IOException e) {
            throw new StatefulException("Stack " + stack.project + ": cannot read the baseline of service '" + name()
                    + "' (" + baseline + "): " + e.getMessage() + ". Fix: keep the temporary folder while tests run.", e);
        }
    }

    @Override
    synchronized void dropBaseline() {
        if (baseline != null) {
            VolumeFiles.delete(baseline);
            baseline = null;
        }
    }

    @Override
    synchronized Object fingerprint() {
        TreeMap<String, String> keys = new TreeMap<>();
        try (Jedis jedis = connect(10_000)) {
            RedisKeys.read(jedis, keys);
        }
        return keys;
    }
}
