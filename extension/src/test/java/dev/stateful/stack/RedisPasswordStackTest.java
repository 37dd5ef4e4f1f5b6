package dev.stateful.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Redis services with a password, one from {@code --requirepass ${REDIS_PASSWORD}} (the variable in
 * the {@code .env} beside the compose file), one from {@code requirepass} in a bind-mounted config file:
 * readiness, fingerprints and the reset authenticate, and the password is never logged.
 */
@Tag("docker")
class RedisPasswordStackTest {
    private static final Path COMPOSE = Path.of("src/test/resources/stack-redis-password/docker-compose.yml");
    private static final String CARTS = "carts-Secret-8c1f";
    private static final String SESSIONS = "sessions-Secret-52aa";

    @Test
    void fingerprintsAndResetAuthenticateAndNeverLogThePassword() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (StatefulStack stack = StatefulStack.fromCompose(COMPOSE).nameHint("RedisPassword").start()) {
            try (Jedis anonymous = new Jedis("127.0.0.1", stack.service("cache").port(6379))) {
                assertThatThrownBy(() -> anonymous.set("k", "v")).isInstanceOf(JedisDataException.class)
                        .hasMessageStartingWith("NOAUTH");
            }
            try (Jedis cache = login(stack, "cache", CARTS); Jedis sessions = login(stack, "sessions", SESSIONS)) {
                cache.hset("cart:1", "sku-1", "2");
                sessions.setex("session:9", 3600, "alice");
            }
            stack.takeBaseline();
            StackFingerprint baseline = stack.fingerprint();
            assertThat(strings(baseline.services().get("cache"))).containsEntry("db0 cart:1", "hash {sku-1=2} ttl:no");
            assertThat(strings(baseline.services().get("sessions"))).containsEntry("db0 session:9", "string alice ttl:yes");

            try (Jedis cache = login(stack, "cache", CARTS); Jedis sessions = login(stack, "sessions", SESSIONS)) {
                cache.del("cart:1");
                sessions.set("session:10", "bob");
            }
            assertThat(baseline.diff(stack.fingerprint())).containsExactly(
                    "cache: db0 cart:1 removed (was hash {sku-1=2} ttl:no)",
                    "sessions: db0 session:10 added (string bob ttl:no)");
            stack.resetToBaseline();
            assertThat(baseline.diff(stack.fingerprint())).isEmpty();

            stack.down();
            stack.up();
            assertThat(baseline.diff(stack.fingerprint())).isEmpty();
        } finally {
            System.setErr(err);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        err.print(logged);
        assertThat(logged).contains("starting service 'cache'", "baseline of service 'sessions'")
                .doesNotContain(CARTS).doesNotContain(SESSIONS);
    }

    private static Jedis login(StatefulStack stack, String service, String password) {
        Jedis jedis = new Jedis("127.0.0.1", stack.service(service).port(6379));
        jedis.auth(password);
        return jedis;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object fingerprint) {
        return (Map<String, String>) fingerprint;
    }
}
