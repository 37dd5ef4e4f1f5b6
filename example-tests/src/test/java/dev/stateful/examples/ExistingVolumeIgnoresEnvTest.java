package dev.stateful.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.StartupException;
import dev.stateful.StatefulPostgres;
import dev.stateful.testing.Sql;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code POSTGRES_PASSWORD} and {@code POSTGRES_DB} only apply when the image initialises an
 * empty volume: on an existing volume they are ignored and the old credentials keep working.
 */
@Tag("docker")
class ExistingVolumeIgnoresEnvTest {
    private final String volume = "stateful-example-env-" + UUID.randomUUID().toString().substring(0, 8);
    private final String firstPassword = "first-" + UUID.randomUUID();
    private final String secondPassword = "second-" + UUID.randomUUID();

    @Test
    void passwordAndDatabaseOfAnExistingVolumeWin() throws Exception {
        try (StatefulPostgres first = StatefulPostgres.builder().volume(volume)
                .password(firstPassword).database("app").start()) {
            Sql.run(first, "CREATE TABLE marker (id int)", "INSERT INTO marker VALUES (42)");
        }

        try (StatefulPostgres newPassword = StatefulPostgres.builder().volume(volume)
                .password(secondPassword).database("app").build()) {
            assertThatThrownBy(newPassword::start)
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("password authentication for role 'test' failed on volume '" + volume + "'")
                    .hasMessageContaining("POSTGRES_PASSWORD only applies to an empty volume");
        }

        try (StatefulPostgres newDatabase = StatefulPostgres.builder().volume(volume)
                .password(firstPassword).database("other").build()) {
            assertThatThrownBy(newDatabase::start)
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("database 'other' does not exist on volume '" + volume + "'")
                    .hasMessageContaining("POSTGRES_DB only applies to an empty volume");
        }

        try (StatefulPostgres oldCredentials = StatefulPostgres.builder().volume(volume)
                .password(firstPassword).database("app").start()) {
            assertThat(Sql.count(oldCredentials, "marker")).isEqualTo(1);
        }
    }

    @AfterEach
    void removeVolume() {
        StatefulPostgres.builder().volume(volume).build().discard();
    }
}
