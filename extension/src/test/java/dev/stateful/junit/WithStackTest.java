package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.stack.ExecResult;
import dev.stateful.stack.StatefulStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * {@code @WithStack}: the class's stack is up before the first test, injected as a parameter, and
 * every test starts from the class baseline (after {@code @BeforeAll}) for every store.
 */
@WithStack(compose = "classpath:stack/docker-compose.yml")
@Tag("also-on-junit6")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WithStackTest {
    @BeforeAll
    static void seed(StatefulStack stack) throws Exception {
        try (Connection c = stack.postgres("orders").connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int PRIMARY KEY)");
            s.execute("INSERT INTO orders VALUES (1)");
        }
        try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379))) {
            jedis.set("seeded", "yes");
        }
        stack.service("files").exec("sh", "-c", "echo seeded > /srv/uploads/seed.txt");
    }

    @Test
    @Order(1)
    void aTestChangesEveryStore(StatefulStack stack) throws Exception {
        try (Connection c = stack.postgres("orders").connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders VALUES (2)");
        }
        try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379))) {
            jedis.del("seeded");
            jedis.set("written", "by test 1");
        }
        stack.service("files").exec("sh", "-c", "rm /srv/uploads/seed.txt && echo x > /srv/uploads/new.txt");
        stack.down();
        stack.up();
    }

    @Test
    @Order(2)
    void theNextStartsFromTheClassBaseline(StatefulStack stack) throws Exception {
        try (Connection c = stack.postgres("orders").connection(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM orders")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
        try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379))) {
            assertThat(jedis.get("seeded")).isEqualTo("yes");
            assertThat(jedis.exists("written")).isFalse();
        }
        ExecResult files = stack.service("files").exec("ls", "/srv/uploads");
        assertThat(files.stdout().lines()).containsExactly("seed.txt");
    }

    @Test
    @Order(3)
    void aTestRemovesEveryVolume(StatefulStack stack) {
        stack.downWithVolumes();
        stack.up();
    }

    @Test
    @Order(4)
    void theNextStillStartsFromTheClassBaseline(StatefulStack stack) throws Exception {
        theNextStartsFromTheClassBaseline(stack);
    }

    @Test
    @Order(5)
    void aMissingComposeFileIsRefusedNamingTheAnnotation() {
        assertThat(Kit.onlyFailure(Kit.run(Missing.class)).getMessage()).startsWith("@WithStack on Missing: compose file 'classpath:nowhere/docker-compose.yml' is not on the classpath;");
    }

    @WithStack(compose = "classpath:nowhere/docker-compose.yml")
    static class Missing {
        @Test
        void never() {
        }
    }
}
