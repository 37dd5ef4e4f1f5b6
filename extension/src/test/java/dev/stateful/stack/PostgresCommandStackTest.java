package dev.stateful.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Postgres service's own {@code command: postgres -c ...}: its settings hold, Stateful's are added, a conflict is refused. */
@Tag("docker")
class PostgresCommandStackTest {
    private static final Path COMPOSE = Path.of("src/test/resources/stack-postgres-command/docker-compose.yml");

    @Test
    void theServiceRunsWithItsOwnSettingsAndStatefulsAndSurvivesDownUp() throws Exception {
        try (StatefulStack stack = StatefulStack.fromCompose(COMPOSE).nameHint("PostgresCommand").start()) {
            assertThat(show(stack, "shared_buffers")).isEqualTo("64MB");
            assertThat(show(stack, "max_connections")).isEqualTo("50");
            assertThat(show(stack, "fsync")).as("Stateful's fast setting, added to the file's").isEqualTo("off");
            try (Connection c = stack.postgres("orders").connection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id int PRIMARY KEY)");
                s.execute("INSERT INTO orders VALUES (1)");
            }
            StackFingerprint before = stack.fingerprint();
            stack.down();
            stack.up();
            assertThat(before.diff(stack.fingerprint())).isEmpty();
            assertThat(show(stack, "max_connections")).isEqualTo("50");
        }
    }

    @Test
    void aSettingStatefulReliesOnIsRefusedByNameBeforeAnythingIsCreated(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, Files.readString(COMPOSE).replace("-c max_connections=50", "-c port=5433"));
        assertThatThrownBy(() -> StatefulStack.fromCompose(file).start()).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Compose file '" + file + "', service 'orders', key 'command': server setting 'port' is set "
                        + "by Stateful, which relies on it (the published port, the data directory on the volume, the "
                        + "socket its commands use); expected another setting. Fix: remove '-c port=5433'.");
        Files.writeString(file, Files.readString(COMPOSE).replace("-c max_connections=50", "-N 50"));
        assertThatThrownBy(() -> StatefulStack.fromCompose(file).start()).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("key 'command': the argument '-N' is not supported; expected '-c name=value' "
                        + "settings only.");
    }

    private static String show(StatefulStack stack, String setting) throws Exception {
        try (Connection c = stack.postgres("orders").connection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW " + setting)) {
            r.next();
            return r.getString(1);
        }
    }
}
