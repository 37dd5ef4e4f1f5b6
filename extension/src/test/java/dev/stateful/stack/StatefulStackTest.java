package dev.stateful.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.assertj.StatefulAssertions;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.engine.DockerEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** A compose stack on real containers: Postgres, Redis with appendonly, a plain volume; one stack for the class. */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulStackTest {
    private static final Path COMPOSE = Path.of("src/test/resources/stack/docker-compose.yml");
    private static StatefulStack stack;

    @TempDir
    static Path backups;

    @BeforeAll
    static void start() {
        stack = StatefulStack.fromCompose(COMPOSE).nameHint("StatefulStackTest").start();
    }

    @AfterAll
    static void close() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyStoreSurvivesDownAndUpAndIsGoneAfterDownWithVolumes() throws Exception {
        writeData();
        StackFingerprint before = stack.fingerprint();
        assertThat(before.services()).containsOnlyKeys("orders", "cache", "files");
        assertThat(((DatabaseFingerprint) before.services().get("orders")).totalRows()).isEqualTo(2);
        assertThat(strings(before.services().get("cache"))).containsEntry("db0 cart:1", "hash {sku-1=2} ttl:no")
                .containsEntry("db3 session:9", "string alice ttl:yes");
        assertThat(strings(before.services().get("files"))).containsKey("uploads:/img/1.txt");

        String oldContainer = stack.service("cache").containerId();
        StatefulAssertions.assertThat(stack).survives(() -> {
            stack.down();
            stack.up();
        });
        assertThat(stack.service("cache").containerId()).isNotEqualTo(oldContainer);
        assertThat(stack.fingerprint()).isEqualTo(before);

        assertThatThrownBy(() -> StatefulAssertions.assertThat(stack).survives(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379))) {
                jedis.del("cart:1");
            }
            stack.service("files").exec("rm", "/srv/uploads/img/1.txt");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("but 2 things changed:")
                .hasMessageContaining("\n  cache: db0 cart:1 removed (was hash {sku-1=2} ttl:no)")
                .hasMessageContaining("\n  files: uploads:/img/1.txt removed (was size 4 mode 644 sha256 ");

        StatefulAssertions.assertThat(stack).losesDataOn(() -> {
            stack.downWithVolumes();
            stack.up();
        });
        StackFingerprint empty = stack.fingerprint();
        assertThat(before.diff(empty)).anyMatch(line -> line.startsWith("orders: public.orders: table removed"))
                .contains("cache: db3 session:9 removed (was string alice ttl:yes)");
        assertThatThrownBy(() -> StatefulAssertions.assertThat(stack).losesDataOn(stack::down))
                .hasMessageContaining("there was nothing to lose");
        stack.up();
    }

    @Test
    @Order(2)
    void servicesReachEachOtherByNameAndPublishOnLoopback() {
        ExecResult ping = stack.service("cache").exec("redis-cli", "-h", "cache", "ping");
        assertThat(ping.exitCode()).isZero();
        assertThat(ping.stdout().strip()).isEqualTo("PONG");
        ExecResult ready = stack.service("files").exec("pg_isready", "-h", "orders", "-p", "5432");
        assertThat(ready.exitCode()).as(ready.stdout() + ready.stderr()).isZero();
        assertThat(stack.service("cache").port(6379)).isPositive();
        assertThat(stack.postgres("orders").username()).isEqualTo("shop");
        assertThat(stack.postgres("orders").password()).isEqualTo("shop-secret");
        assertThat(stack.service("files").exec("false").exitCode()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void redisKeepsItsAppendOnlyDataOverKillAndRecreate() throws Exception {
        try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379))) {
            jedis.rpush("queue", "a", "b");
        }
        StackFingerprint before = stack.fingerprint();
        stack.service("cache").kill();
        stack.service("cache").recreate();
        stack.service("orders").recreate();
        assertThat(before.diff(stack.fingerprint())).isEmpty();
        assertThat(stack.service("files").exec("pg_isready", "-h", "orders").exitCode()).isZero();
    }

    @Test
    @Order(4)
    void misuseIsRefusedNamingTheServiceAndWhatExists() {
        assertThatThrownBy(() -> stack.service("web")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("service('web') on stack " + stack.project() + ": the stack runs no such service; "
                        + "expected one of [orders, cache, files].");
        assertThatThrownBy(() -> stack.postgres("cache")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("does not run a Postgres server; expected one of [orders].");
        assertThatThrownBy(() -> stack.service("files").port(80)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("the service publishes no such port; expected one of [].");
    }

    @Test
    @Order(5)
    void closeRemovesEverythingItCreated() {
        StatefulStack other = StatefulStack.fromCompose(COMPOSE).services("cache").nameHint("closing").start();
        String volume = other.volumeName("redisdata");
        assertThat(DockerEngine.get().volumeExists(volume)).isTrue();
        other.close();
        assertThat(DockerEngine.get().volumeExists(volume)).isFalse();
        assertThat(DockerEngine.get().containersLabelled(StackContext.STACK_LABEL, other.project())).isEmpty();
        assertThat(DockerEngine.get().networksLabelled(StackContext.STACK_LABEL, other.project())).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object fingerprint) {
        return (Map<String, String>) fingerprint;
    }

    @Test
    @Order(6)
    void backupAndRestoreTheWholeStackAndRefuseADamagedOne() throws Exception {
        writeData();
        StackFingerprint before = stack.fingerprint();
        Path backup = stack.backup(backups.resolve("shop"));
        assertThat(backup.resolve("manifest.properties")).content().contains("volume.pgdata.sha256=",
                "volume.redisdata.sha256=", "volume.uploads.sha256=", "paused.millis=");
        assertThat(stack.fingerprint()).isEqualTo(before);

        try (Connection c = stack.postgres("orders").connection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM orders");
        }
        try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379))) {
            jedis.flushAll();
        }
        stack.service("files").exec("rm", "-r", "/srv/uploads/img");
        StackFingerprint changed = stack.fingerprint();
        assertThat(before.diff(changed)).hasSizeGreaterThanOrEqualTo(4);

        for (String f : new String[] {"pgdata.tar", "redisdata.tar", "uploads.tar", "manifest.properties"}) {
            java.nio.file.Files.createDirectories(backups.resolve("damaged"));
            java.nio.file.Files.copy(backup.resolve(f), backups.resolve("damaged").resolve(f),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        byte[] tar = java.nio.file.Files.readAllBytes(backups.resolve("damaged/uploads.tar"));
        tar[600] ^= 1;
        java.nio.file.Files.write(backups.resolve("damaged/uploads.tar"), tar);
        assertThatThrownBy(() -> stack.restoreBackup(backups.resolve("damaged"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("the archive of volume 'uploads' (")
                .hasMessageContaining("as the manifest says, so the backup is damaged. Nothing was touched.");
        java.nio.file.Files.delete(backups.resolve("damaged/manifest.properties"));
        assertThatThrownBy(() -> stack.restoreBackup(backups.resolve("damaged"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("so the backup is partial");
        assertThat(stack.fingerprint()).isEqualTo(changed);

        stack.restoreBackup(backup);
        assertThat(before.diff(stack.fingerprint())).isEmpty();
    }

    private static void writeData() throws Exception {
        try (Connection c = stack.postgres("orders").connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, total numeric)");
            s.execute("DELETE FROM orders");
            s.execute("INSERT INTO orders VALUES (1, 9.5), (2, 20)");
        }
        try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379))) {
            jedis.hset("cart:1", "sku-1", "2");
            jedis.select(3);
            jedis.setex("session:9", 3600, "alice");
        }
        ExecResult write = stack.service("files").exec("sh", "-c", "mkdir -p /srv/uploads/img && echo one > /srv/uploads/img/1.txt");
        assertThat(write.exitCode()).as(write.stderr()).isZero();
    }
}
