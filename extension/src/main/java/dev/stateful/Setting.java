package dev.stateful;

import dev.stateful.CacheMode;
import dev.stateful.error.InvalidArgumentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One documented setting of Stateful: its configuration parameter ({@code stateful.*}), its
 * environment variable ({@code STATEFUL_*}), its default and how its text is checked.
 *
 * <p>Every setting is declared here, one line each, and read only through
 * {@link StatefulSettings#get(Setting)}. To add one: add a constant below with
 * {@link #of(String, String, Object, Kind)}; it is then resolved from every source, validated
 * before any side effect, and listed by {@link #all()} (which the documentation test compares
 * with the settings table of {@code docs/configuration.md}).
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {
    private static final List<Setting<?>> ALL = new ArrayList<>();

    /** The default image. */
    public static final Setting<String> IMAGE = of("stateful.image", "STATEFUL_IMAGE", "postgres:17", Kind.text(
            "an image reference such as postgres:17", "name a local image, for example postgres:17"));
    /** The database created on an empty volume. */
    public static final Setting<String> DATABASE = of("stateful.database", "STATEFUL_DATABASE", "test", Kind.pgName());
    /** The role created on an empty volume. */
    public static final Setting<String> USERNAME = of("stateful.username", "STATEFUL_USERNAME", "test", Kind.pgName());
    /** Seconds a server may take to accept queries. */
    public static final Setting<Duration> STARTUP_TIMEOUT = of("stateful.startup-timeout", "STATEFUL_STARTUP_TIMEOUT",
            Duration.ofSeconds(60), Kind.seconds("120"));
    /** Seconds a command in a container (pg_restore, psql, pg_dump, a copy) may run. */
    public static final Setting<Duration> COMMAND_TIMEOUT = of("stateful.command-timeout", "STATEFUL_COMMAND_TIMEOUT",
            Duration.ofHours(2), Kind.seconds("7200"));
    /** Seconds a short Docker engine call (inspect, list, create, start, remove) may take. */
    public static final Setting<Duration> ENGINE_TIMEOUT = of("stateful.engine-timeout", "STATEFUL_ENGINE_TIMEOUT",
            Duration.ofSeconds(60), Kind.seconds("60"));
    /** The host address published ports bind to. */
    public static final Setting<String> BIND_ADDRESS = of("stateful.bind-address", "STATEFUL_BIND_ADDRESS", "127.0.0.1",
            Kind.ipAddress());
    /** Seconds a leftover of another host or pid namespace is kept before the sweep removes it. */
    public static final Setting<Duration> SWEEP_FOREIGN_AGE = of("stateful.sweep.foreign-age",
            "STATEFUL_SWEEP_FOREIGN_AGE", Duration.ofDays(1), Kind.seconds("86400"));
    /** How many ready clones of each snapshot to keep. */
    public static final Setting<Integer> SNAPSHOT_POOL = of("stateful.snapshot-pool", "STATEFUL_SNAPSHOT_POOL", 1,
            Kind.wholeNumber(0, 8, "use 1 (the default) or 0 to turn the pool off"));
    /** Whether snapshots are restored table by table where that is exact ({@code false}: always a full clone). */
    public static final Setting<Boolean> TABLE_RESET = of("stateful.table-reset", "STATEFUL_TABLE_RESET", true,
            Kind.bool());
    /** Whether the cross-run state cache is used and filled. */
    public static final Setting<CacheMode> CACHE = of("stateful.cache", "STATEFUL_CACHE", CacheMode.READWRITE,
            Kind.choice(CacheMode.class));
    /** Whether {@code @WithVolume} classes get a server of their own or a database on a server shared by the run. */
    public static final Setting<ServerMode> SERVER = of("stateful.server", "STATEFUL_SERVER", ServerMode.SHARED,
            Kind.choice(ServerMode.class));
    /** How many state cache entries are kept. */
    public static final Setting<Integer> CACHE_MAX_ENTRIES = of("stateful.cache.max-entries",
            "STATEFUL_CACHE_MAX_ENTRIES", 10, Kind.wholeNumber(1, 10_000, "use for example 10"));
    /** A directory CI caches between runs, where cache entries are exported and imported; empty: none. */
    public static final Setting<String> CACHE_DIR = of("stateful.cache.dir", "STATEFUL_CACHE_DIR", "", Kind.text(
            "a directory path such as .stateful-cache", "set it to a directory your CI caches, for example .stateful-cache"));
    /** A registry repository cache entries are pushed to and pulled from; empty: none. */
    public static final Setting<String> CACHE_REGISTRY = of("stateful.cache.registry", "STATEFUL_CACHE_REGISTRY", "",
            Kind.text("a repository such as localhost:5000/acme/stateful-cache",
                    "name a repository without a tag, for example localhost:5000/acme/stateful-cache"));
    /** Flyway locations of {@code @MigratedTo} and the handle's {@code migrate()}. */
    public static final Setting<List<String>> FLYWAY_LOCATIONS = of("stateful.flyway.locations",
            "STATEFUL_FLYWAY_LOCATIONS", List.of(), Kind.list("filesystem:src/main/resources/db/migration"));
    /** Flyway schemas. */
    public static final Setting<List<String>> FLYWAY_SCHEMAS = of("stateful.flyway.schemas", "STATEFUL_FLYWAY_SCHEMAS",
            List.of(), Kind.list("app,audit"));
    /** Flyway placeholders, {@code k=v,k=v}. */
    public static final Setting<Map<String, String>> FLYWAY_PLACEHOLDERS = of("stateful.flyway.placeholders",
            "STATEFUL_FLYWAY_PLACEHOLDERS", Map.of(), Kind.keyValues());
    /** Flyway's baselineOnMigrate. */
    public static final Setting<Boolean> FLYWAY_BASELINE_ON_MIGRATE = of("stateful.flyway.baseline-on-migrate",
            "STATEFUL_FLYWAY_BASELINE_ON_MIGRATE", false, Kind.bool());
    /** A Liquibase changelog that {@code @MigratedTo} and the handle's {@code migrate()} use instead of Flyway. */
    public static final Setting<String> LIQUIBASE_CHANGELOG = of("stateful.liquibase.changelog",
            "STATEFUL_LIQUIBASE_CHANGELOG", "", Kind.text("a changelog such as classpath:db/changelog/master.yaml",
                    "name the changelog, for example classpath:db/changelog/db.changelog-master.yaml"));
    /** The Liquibase contexts expression. */
    public static final Setting<String> LIQUIBASE_CONTEXTS = of("stateful.liquibase.contexts",
            "STATEFUL_LIQUIBASE_CONTEXTS", "", Kind.text("a Liquibase context expression such as !faker",
                    "write a context expression, for example faker or !demo"));
    /** The Liquibase labels expression. */
    public static final Setting<String> LIQUIBASE_LABELS = of("stateful.liquibase.labels",
            "STATEFUL_LIQUIBASE_LABELS", "", Kind.text("a Liquibase label expression such as !slow",
                    "write a label expression, for example !slow"));
    /** How long a migration may block reads of a table before that is a {@code LONG_EXCLUSIVE_LOCK} hazard. */
    public static final Setting<Duration> MIGRATE_MAX_BLOCKING = of("stateful.migrate.max-blocking",
            "STATEFUL_MIGRATE_MAX_BLOCKING", Duration.ofSeconds(1), Kind.duration("1s or 200ms"));
    /** The directory of Stateful's reports ({@code migrations.json}, {@code migrations.html}); one subdirectory per test class. */
    public static final Setting<java.nio.file.Path> REPORT_DIR = of("stateful.report-dir", "STATEFUL_REPORT_DIR",
            java.nio.file.Path.of("target", "stateful-reports"), Kind.path("build/stateful-reports"));

    private final String property;
    private final String env;
    private final T defaultValue;
    private final Kind<T> kind;

    private Setting(String property, String env, T defaultValue, Kind<T> kind) {
        this.property = property;
        this.env = env;
        this.defaultValue = defaultValue;
        this.kind = kind;
    }

    private static <T> Setting<T> of(String property, String env, T defaultValue, Kind<T> kind) {
        Setting<T> setting = new Setting<>(property, env, defaultValue, kind);
        ALL.add(setting);
        return setting;
    }

    /**
     * Return every setting, in the order of the documentation's table.
     *
     * @return the settings
     */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /**
     * Return the configuration parameter and system property name.
     *
     * @return a {@code stateful.*} name
     */
    public String property() {
        return property;
    }

    /**
     * Return the environment variable name.
     *
     * @return a {@code STATEFUL_*} name
     */
    public String env() {
        return env;
    }

    /**
     * Return the value used when no source sets it.
     *
     * @return the default
     */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * Parse a value given under a name (a setting's name, or a builder argument's).
     *
     * @param name what the message calls it
     * @param where where it was set, for example "from an environment variable"; empty when obvious
     * @param text the text
     * @return the value
     * @throws InvalidArgumentException in the standard shape when the text is invalid
     */
    public T parse(String name, String where, String text) {
        T value;
        try {
            value = kind.parse.apply(text.strip());
        } catch (IllegalArgumentException e) {
            value = null;
        }
        if (value == null) {
            throw new InvalidArgumentException(name + " '" + text + "'" + (where.isEmpty() ? "" : " (" + where + ")")
                    + " is invalid; expected " + kind.expected + ". Fix: " + kind.fix + ".");
        }
        return value;
    }

    @Override
    public String toString() {
        return property;
    }

    /**
     * How a setting's text is parsed, what the message says is expected, and the fix it offers.
     *
     * @param <T> the parsed type
     */
    public static final class Kind<T> {
        private final Function<String, T> parse;
        private final String expected;
        private final String fix;

        private Kind(Function<String, T> parse, String expected, String fix) {
            this.parse = parse;
            this.expected = expected;
            this.fix = fix;
        }

        static Kind<String> text(String expected, String fix) {
            return new Kind<>(s -> s.isEmpty() ? null : s, expected, fix);
        }

        static Kind<String> pgName() {
            return new Kind<>(s -> !s.isEmpty() && s.indexOf('\0') < 0
                    && s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 63 ? s : null,
                    "1 to 63 bytes in UTF-8 without NUL characters, because Postgres cuts longer names",
                    "use a shorter name such as 'app'");
        }

        static Kind<Duration> seconds(String example) {
            return new Kind<>(s -> {
                long seconds = Long.parseLong(s);
                return seconds > 0 ? Duration.ofSeconds(seconds) : null;
            }, "a positive whole number of seconds", "set it to, for example, " + example);
        }

        static Kind<Duration> duration(String example) {
            return new Kind<>(s -> {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+)(ms|s)").matcher(s);
                if (!m.matches()) {
                    return null;
                }
                long n = Long.parseLong(m.group(1));
                Duration d = m.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n);
                return d.isZero() ? null : d;
            }, "a positive duration in whole seconds or milliseconds, such as 1s or 200ms", "set it to, for example, "
                    + example);
        }

        static Kind<java.nio.file.Path> path(String example) {
            return new Kind<>(s -> s.isEmpty() || s.indexOf('\0') >= 0 ? null : java.nio.file.Path.of(s),
                    "a directory path", "set it to, for example, " + example);
        }

        static Kind<Integer> wholeNumber(int min, int max, String fix) {
            return new Kind<>(s -> {
                int n = Integer.parseInt(s);
                return n >= min && n <= max ? n : null;
            }, "a whole number from " + min + " to " + max, fix);
        }

        static Kind<Boolean> bool() {
            return new Kind<>(s -> s.equalsIgnoreCase("true") ? Boolean.TRUE
                    : s.equalsIgnoreCase("false") ? Boolean.FALSE : null, "true or false", "write true or false");
        }

        static Kind<String> ipAddress() {
            return new Kind<>(s -> s.matches("[0-9.]+|[0-9a-fA-F:]+") ? s : null, "an IP address such as 127.0.0.1",
                    "set it to the address of the Docker host's interface to publish on");
        }

        static <E extends Enum<E>> Kind<E> choice(Class<E> type) {
            List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
            return new Kind<>(s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT)), "one of " + String.join(", ", names),
                    "use one of " + String.join(", ", names));
        }

        static Kind<List<String>> list(String example) {
            return new Kind<>(s -> {
                List<String> items = Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
                return items.isEmpty() ? null : items;
            }, "a comma-separated list", "write it as for example " + example);
        }

        static Kind<Map<String, String>> keyValues() {
            return new Kind<>(s -> {
                Map<String, String> map = new LinkedHashMap<>();
                for (String entry : s.split(",")) {
                    int eq = entry.indexOf('=');
                    if (eq <= 0) {
                        return null;
                    }
                    map.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
                }
                return Collections.unmodifiableMap(map);
            }, "comma-separated key=value entries", "write it as for example 'schema_owner=app,table=orders'");
        }
    }
}
