package dev.stateful;

import dev.stateful.cache.StateCache;
import dev.stateful.error.ImageException;
import dev.stateful.error.InvalidArgumentException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every setting × every source of the resolver: a JUnit configuration parameter, a system
 * property, an environment variable (given at the resolver's boundary), the default; the
 * precedence between them; and a bad value from each source rejected with its exact message.
 * The annotation tier and {@code junit-platform.properties} through the engine are covered by
 * {@code dev.stateful.junit.SettingsSourcesTest}.
 */
class StatefulSettingsTest {
    private static final String FROM_PARAMETER = "from a JUnit configuration parameter";
    private static final String FROM_PROPERTY = "from a system property";
    private static final String FROM_ENV = "from an environment variable";

    /** One row per setting: a good text and its value, another good text, a bad text and the message's tail. */
    record Row(Setting<?> setting, String good, Object value, String other, Object otherValue, String bad, String tail) {
        @Override
        public String toString() {
            return setting.property();
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row(Setting.IMAGE, "postgres:16", "postgres:16", "postgres:15", "postgres:15", null, null),
                new Row(Setting.DATABASE, "orders", "orders", "other", "other", "d".repeat(64),
                        "expected 1 to 63 bytes in UTF-8 without NUL characters, because Postgres cuts longer names. "
                                + "Fix: use a shorter name such as 'app'."),
                new Row(Setting.USERNAME, "app", "app", "other", "other", "ä".repeat(32),
                        "expected 1 to 63 bytes in UTF-8 without NUL characters, because Postgres cuts longer names. "
                                + "Fix: use a shorter name such as 'app'."),
                new Row(Setting.STARTUP_TIMEOUT, "120", Duration.ofSeconds(120), " 5 ", Duration.ofSeconds(5), "60s",
                        "expected a positive whole number of seconds. Fix: set it to, for example, 120."),
                new Row(Setting.COMMAND_TIMEOUT, "3600", Duration.ofHours(1), "2", Duration.ofSeconds(2), "2h",
                        "expected a positive whole number of seconds. Fix: set it to, for example, 7200."),
                new Row(Setting.ENGINE_TIMEOUT, "30", Duration.ofSeconds(30), "1", Duration.ofSeconds(1), "-5",
                        "expected a positive whole number of seconds. Fix: set it to, for example, 60."),
                new Row(Setting.BIND_ADDRESS, "0.0.0.0", "0.0.0.0", "::1", "::1", "build-host",
                        "expected an IP address such as 127.0.0.1. Fix: set it to the address of the Docker host's "
                                + "interface to publish on."),
                new Row(Setting.SWEEP_FOREIGN_AGE, "3600", Duration.ofHours(1), "60", Duration.ofMinutes(1), "soon",
                        "expected a positive whole number of seconds. Fix: set it to, for example, 86400."),
                new Row(Setting.SNAPSHOT_POOL, "0", 0, "8", 8, "9",
                        "expected a whole number from 0 to 8. Fix: use 1 (the default) or 0 to turn the pool off."),
                new Row(Setting.TABLE_RESET, "false", false, "TRUE", true, "off",
                        "expected true or false. Fix: write true or false."),
                new Row(Setting.CACHE, "off", CacheMode.OFF, "ReadOnly", CacheMode.READONLY, "sometimes",
                        "expected one of off, readonly, readwrite. Fix: use one of off, readonly, readwrite."),
                new Row(Setting.SERVER, "shared", ServerMode.SHARED, "OWN", ServerMode.OWN, "pooled",
                        "expected one of own, shared. Fix: use one of own, shared."),
                new Row(Setting.CACHE_MAX_ENTRIES, "3", 3, "10000", 10_000, "lots",
                        "expected a whole number from 1 to 10000. Fix: use for example 10."),
                new Row(Setting.CACHE_DIR, ".stateful-cache", ".stateful-cache", "/ci/cache", "/ci/cache", null, null),
                new Row(Setting.CACHE_REGISTRY, "localhost:5000/acme/cache", "localhost:5000/acme/cache",
                        "registry.example.com/team/cache", "registry.example.com/team/cache", null, null),
                new Row(Setting.FLYWAY_LOCATIONS, "filesystem:a, classpath:b", List.of("filesystem:a", "classpath:b"),
                        "classpath:c", List.of("classpath:c"), ",",
                        "expected a comma-separated list. Fix: write it as for example "
                                + "filesystem:src/main/resources/db/migration."),
                new Row(Setting.FLYWAY_SCHEMAS, "app,audit", List.of("app", "audit"), "x", List.of("x"), " , ",
                        "expected a comma-separated list. Fix: write it as for example app,audit."),
                new Row(Setting.FLYWAY_PLACEHOLDERS, "a=1, b = 2", Map.of("a", "1", "b", "2"), "c=", Map.of("c", ""),
                        "table_name", "expected comma-separated key=value entries. Fix: write it as for example "
                                + "'schema_owner=app,table=orders'."),
                new Row(Setting.FLYWAY_BASELINE_ON_MIGRATE, "true", true, "FALSE", false, "yes",
                        "expected true or false. Fix: write true or false."),
                new Row(Setting.LIQUIBASE_CHANGELOG, "classpath:db/changelog/master.yaml",
                        "classpath:db/changelog/master.yaml", "filesystem:cl.xml", "filesystem:cl.xml", null, null),
                new Row(Setting.LIQUIBASE_CONTEXTS, "faker", "faker", "!demo and test", "!demo and test", null, null),
                new Row(Setting.LIQUIBASE_LABELS, "!slow", "!slow", "v2", "v2", null, null),
                new Row(Setting.MIGRATE_MAX_BLOCKING, "200ms", Duration.ofMillis(200), "3s", Duration.ofSeconds(3), "1.5s",
                        "expected a positive duration in whole seconds or milliseconds, such as 1s or 200ms. Fix: set "
                                + "it to, for example, 1s or 200ms."),
                new Row(Setting.REPORT_DIR, "build/reports", java.nio.file.Path.of("build/reports"), "out",
                        java.nio.file.Path.of("out"), null, null));
    }

    @Test
    void theTableCoversEverySetting() {
        assertThat(rows().map(Row::setting).toList()).containsExactlyElementsOf(Setting.all());
        assertThat(Setting.all()).allSatisfy(s -> assertThat(s.env())
                .isEqualTo(s.property().toUpperCase().replace('.', '_').replace('-', '_')));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void honouredFromEverySourceWithItsDefaultBelow(Row row) {
        Setting<?> setting = row.setting();
        StatefulSettings none = StatefulSettings.of(name -> Optional.empty(), Map.of());
        assertThat((Object) none.get(setting)).isEqualTo(setting.defaultValue());
        assertThat(none.origin(setting)).isEqualTo("default");

        StatefulSettings parameter = StatefulSettings.of(parameters(setting.property(), row.good()), Map.of());
        assertThat((Object) parameter.get(setting)).isEqualTo(row.value());
        assertThat(parameter.origin(setting)).isEqualTo(FROM_PARAMETER);

        StatefulSettings env = StatefulSettings.of(name -> Optional.empty(), Map.of(setting.env(), row.other()));
        assertThat((Object) env.get(setting)).isEqualTo(row.otherValue());
        assertThat(env.origin(setting)).isEqualTo(FROM_ENV);

        withSystemProperty(setting.property(), row.good(), () -> {
            StatefulSettings property = StatefulSettings.fromSystem();
            assertThat((Object) property.get(setting)).isEqualTo(row.value());
            assertThat(property.origin(setting)).isEqualTo(FROM_PROPERTY);
        });
    }

    @ParameterizedTest
    @MethodSource("rows")
    void parameterBeatsEnvironmentAndBlankMeansUnset(Row row) {
        Setting<?> setting = row.setting();
        StatefulSettings both = StatefulSettings.of(parameters(setting.property(), row.good()),
                Map.of(setting.env(), row.other()));
        assertThat((Object) both.get(setting)).isEqualTo(row.value());

        StatefulSettings blankParameter = StatefulSettings.of(parameters(setting.property(), "  "),
                Map.of(setting.env(), row.other()));
        assertThat((Object) blankParameter.get(setting)).isEqualTo(row.otherValue());
        // The environment's bad value is not even read when a parameter sets the setting.
        if (row.bad() != null) {
            assertThat((Object) StatefulSettings.of(parameters(setting.property(), row.good()),
                    Map.of(setting.env(), row.bad())).get(setting)).isEqualTo(row.value());
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void badValueFromEachSourceIsRejectedWithItsMessage(Row row) {
        Setting<?> setting = row.setting();
        if (row.bad() == null) {
            return; // any non-blank image reference is accepted here; a missing image fails at start (ImageException)
        }
        assertThatThrownBy(() -> StatefulSettings.of(parameters(setting.property(), row.bad()), Map.of()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage(setting.property() + " '" + row.bad() + "' (" + FROM_PARAMETER + ") is invalid; " + row.tail());
        assertThatThrownBy(() -> StatefulSettings.of(name -> Optional.empty(), Map.of(setting.env(), row.bad())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage(setting.env() + " '" + row.bad() + "' (" + FROM_ENV + ") is invalid; " + row.tail());
        withSystemProperty(setting.property(), row.bad(), () -> {
            assertThatThrownBy(StatefulSettings::fromSystem)
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage(setting.property() + " '" + row.bad() + "' (" + FROM_PROPERTY + ") is invalid; "
                            + row.tail());
            // The builder without JUnit resolves through the same object, so it fails the same way, before Docker.
            assertThatThrownBy(StatefulPostgres::builder)
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageStartingWith(setting.property() + " '" + row.bad() + "' (" + FROM_PROPERTY + ")");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1.5", "60s", "abc"})
    void secondsAreWholeAndPositive(String value) {
        assertThatThrownBy(() -> StatefulSettings.parseSeconds("stateful.startup-timeout", value))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("stateful.startup-timeout '" + value + "' is invalid; expected a positive whole number of "
                        + "seconds. Fix: set it to, for example, 120.");
    }

    @Test
    void builderArgumentsAreCheckedWithTheSameRules() {
        assertThatThrownBy(() -> StatefulPostgres.builder().snapshotPool(9))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("snapshotPool '9' is invalid; expected a whole number from 0 to 8. Fix: use 1 (the default) "
                        + "or 0 to turn the pool off.");
        assertThatThrownBy(() -> StatefulPostgres.builder().commandTimeout(Duration.ZERO))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("commandTimeout 'PT0S' is invalid; expected a positive duration. Fix: pass for example "
                        + "Duration.ofMinutes(30).");
    }

    private static Function<String, Optional<String>> parameters(String name, String value) {
        return key -> key.equals(name) ? Optional.of(value) : Optional.empty();
    }

    private static void withSystemProperty(String name, String value, Runnable body) {
        String before = System.getProperty(name);
        System.setProperty(name, value);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }

    @Test
    void sweepForeignAgeFromASystemProperty() {
        String name = StatefulSettings.SWEEP_FOREIGN_AGE_PROPERTY_NAME;
        String before = System.getProperty(name);
        try {
            System.clearProperty(name);
            if (System.getenv(StatefulSettings.SWEEP_FOREIGN_AGE_ENV_NAME) == null) {
                assertThat(StatefulSettings.sweepForeignAge()).isEqualTo(Duration.ofDays(1));
            }
            System.setProperty(name, "3600");
            assertThat(StatefulSettings.sweepForeignAge()).isEqualTo(Duration.ofHours(1));
            for (String bad : new String[] {"soon", "0", "-5", "1.5"}) {
                System.setProperty(name, bad);
                assertThatThrownBy(StatefulSettings::sweepForeignAge)
                        .isInstanceOf(InvalidArgumentException.class)
                        .hasMessage("stateful.sweep.foreign-age '" + bad + "' (from a system property) is invalid; expected a positive whole "
                                + "number of seconds. Fix: set it to, for example, 86400.");
            }
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }
}
