package dev.stateful.stack;

import dev.stateful.internal.stack.ComposeService;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** A Redis service: ready when it answers PING, fingerprinted as every key of every database. */
final class RedisService extends ContainerService {
    static final int PORT = 6379;

    RedisService(StackContext stack, ComposeService definition) {
        super(stack, definition);
    }

    @Override
    Set<Integer> ports() {
        Set<Integer> ports = super.ports();
        ports.add(PORT);
        return ports;
    }

    @Override
    boolean ready() {
        try (Jedis jedis = new Jedis(StackContext.BIND_ADDRESS, port(PORT), 2000)) {
            return "PONG".equals(jedis.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    private RedisKeys.Copy baseline;

    @Override
    synchronized void takeBaseline() {
        try (Jedis jedis = new Jedis(StackContext.BIND_ADDRESS, port(PORT), 10_000)) {
            baseline = RedisKeys.copy(jedis);
        }
    }

    @Override
    synchronized void resetToBaseline() {
        try (Jedis jedis = new Jedis(StackContext.BIND_ADDRESS, port(PORT), 10_000)) {
            RedisKeys.restore(jedis, baseline);
        }
    }

    @Override
    void dropBaseline() {
        baseline = null;
    }

    @Override
    synchronized Object fingerprint() {
        TreeMap<String, String> keys = new TreeMap<>();
        try (Jedis jedis = new Jedis(StackContext.BIND_ADDRESS, port(PORT), 10_000)) {
            RedisKeys.read(jedis, keys);
        }
        return keys;
    }
}
