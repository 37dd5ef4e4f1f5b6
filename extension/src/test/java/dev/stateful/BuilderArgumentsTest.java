package dev.stateful;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.StatefulException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Builder arguments are checked when given, before anything touches Docker. */
class BuilderArgumentsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "64", "64mb", "-1m", "1.5g", "m", "10t"})
    void tmpfsSizesThatAreNotASize(String size) {
        assertThatThrownBy(() -> StatefulPostgres.builder().tmpfsVolume(size)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("tmpfsVolume size '" + size + "' is invalid; expected digits followed by k, m or g, such as "
                        + "64m. Fix: pass for example tmpfsVolume(\"64m\").");
    }

    @Test
    void tmpfsSizesBelowOneMegabyteAndGoodOnes() {
        assertThatThrownBy(() -> StatefulPostgres.builder().tmpfsVolume("512k")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("tmpfsVolume size '512k' is too small; expected at least 1m");
        assertThatThrownBy(() -> StatefulPostgres.builder().tmpfsVolume(null)).isInstanceOf(InvalidArgumentException.class);
        StatefulPostgres.builder().tmpfsVolume("1024k").tmpfsVolume("96m").tmpfsVolume(" 2G ");
    }

    @Test
    void databaseOfMoreThan63Bytes() {
        String name = "d".repeat(64);
        assertThatThrownBy(() -> StatefulPostgres.builder().database(name)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("database '" + name + "' is invalid; expected 1 to 63 bytes in UTF-8 without NUL characters, "
                        + "because Postgres cuts longer names. Fix: use a shorter name such as 'app'.");
    }

    @Test
    void namesAreMeasuredInBytesAsPostgresDoes() {
        StatefulPostgres.builder().database("d".repeat(63)).username("ä".repeat(31)); // 63 and 62 bytes
        assertThatThrownBy(() -> StatefulPostgres.builder().username("ä".repeat(32))) // 32 characters, 64 bytes
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("username '" + "ä".repeat(32) + "' is invalid; expected 1 to 63 bytes");
    }

    @Test
    void emptyOrNulNames() {
        assertThatThrownBy(() -> StatefulPostgres.builder().username("")).hasMessageStartingWith("username '' is invalid");
        assertThatThrownBy(() -> StatefulPostgres.builder().database(null)).hasMessageStartingWith("database 'null' is invalid");
        assertThatThrownBy(() -> StatefulPostgres.builder().database("a\0b")).isInstanceOf(InvalidArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"})
    void envThatStatefulSets(String key) {
        assertThatThrownBy(() -> StatefulPostgres.builder().env(key, "x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("env key '" + key + "' is set by Stateful; expected another variable. "
                        + "Fix: use username(...), password(...) or database(...) instead.");
    }

    @Test
    void envKeyThatIsNoVariableName() {
        assertThatThrownBy(() -> StatefulPostgres.builder().env("1-X", "x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("env key '1-X' is invalid; expected a variable name such as POSTGRES_INITDB_ARGS. "
                        + "Fix: use letters, digits and '_'.");
        StatefulPostgres.builder().env("POSTGRES_INITDB_ARGS", "--data-checksums");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.sql", "/abs.sql", "schema.txt", "schema", "a b.sql"})
    void badInitScriptNames(String name) {
        assertThatThrownBy(() -> StatefulPostgres.builder().initScript(name, "SELECT 1"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("init script name '" + name + "' is invalid; expected a file name ending in .sql, .sql.gz "
                        + "or .sh, without '/'. Fix: use a name such as '01-schema.sql'.");
    }

    @Test
    void goodInitScriptNames() {
        StatefulPostgres.builder().initScript("01-schema.sql", "").initScript("02_data.sql.gz", "").initScript("x.sh", "");
    }

    @Test
    void startupTimeoutMustBePositive() {
        for (Duration timeout : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), null}) {
            assertThatThrownBy(() -> StatefulPostgres.builder().startupTimeout(timeout))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("startupTimeout '" + timeout + "' is invalid; expected a positive duration. "
                            + "Fix: pass for example Duration.ofSeconds(60).");
        }
    }

    @Test
    void emptyPassword() {
        assertThatThrownBy(() -> StatefulPostgres.builder().password("")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("password is invalid; expected a non-empty string without NUL characters. "
                        + "Fix: pass a password, or leave it out to get a random one.");
    }

    @Test
    void blankImage() {
        assertThatThrownBy(() -> StatefulPostgres.builder().image(" ")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("image(...): image ' ' is invalid; expected an image reference such as postgres:17. "
                        + "Fix: pass the image to run.");
    }

    @Test
    void invalidVolumeName() {
        assertThatThrownBy(() -> StatefulPostgres.builder().volume("bad name!"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("volume name 'bad name!' is invalid; expected 2 to 200 characters");
    }

    @Test
    void argumentErrorsAreStatefulExceptions() {
        assertThat(new InvalidArgumentException("x")).isInstanceOf(StatefulException.class);
    }
}
