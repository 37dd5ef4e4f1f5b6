package dev.stateful;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.internal.engine.EngineSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Stateful's settings, resolved once from every source and validated before anything starts.
 *
 * <p>Each {@link Setting} is taken, from strongest to weakest, from an annotation attribute
 * (applied by the JUnit extension on top of this object), a JUnit configuration parameter or
 * Java system property ({@code stateful.*}), an environment variable ({@code STATEFUL_*}), or
 * its default. This class is the only place that reads system properties and the environment;
 * every other part reads the values from here. A bad value in any source fails when the
 * settings are resolved, with a message naming the setting, the value, where it was set, what
 * is expected and the fix.
 */
public final class StatefulSettings {
    /** Configuration parameter naming the default image. */
    public static final String IMAGE_PROPERTY_NAME = Setting.IMAGE.property();
    /** Environment variable naming the default image. */
    public static final String IMAGE_ENV_NAME = Setting.IMAGE.env();
    /** The image used when nothing else is configured: the official Postgres 17 image. */
    public static final String DEFAULT_IMAGE = "postgres:17";
    /** Configuration parameter: seconds a server may take to accept queries. */
    public static final String STARTUP_TIMEOUT_PROPERTY_NAME = Setting.STARTUP_TIMEOUT.property();
    /** Environment variable: seconds a server may take to accept queries. */
    public static final String STARTUP_TIMEOUT_ENV_NAME = Setting.STARTUP_TIMEOUT.env();
    /** Default startup timeout. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** Configuration parameter: the default database name. */
    public static final String DATABASE_PROPERTY_NAME = Setting.DATABASE.property();
    /** Environment variable: the default database name. */
    public static final String DATABASE_ENV_NAME = Setting.DATABASE.env();
    /** Configuration parameter: the default role name. */
    public static final String USERNAME_PROPERTY_NAME = Setting.USERNAME.property();
    /** Environment variable: the default role name. */
    public static final String USERNAME_ENV_NAME = Setting.USERNAME.env();
    /** Configuration parameter: how many ready clones of each snapshot to keep (0 to 8). */
    public static final String SNAPSHOT_POOL_PROPERTY_NAME = Setting.SNAPSHOT_POOL.property();
    /** Environment variable: how many ready clones of each snapshot to keep. */
    public static final String SNAPSHOT_POOL_ENV_NAME = Setting.SNAPSHOT_POOL.env();
    /** Default size of the snapshot pool. */
    public static final int DEFAULT_SNAPSHOT_POOL = 1;
    /** Configuration parameter: the host address published ports bind to. */
    public static final String BIND_ADDRESS_PROPERTY_NAME = Setting.BIND_ADDRESS.property();
    /** Environment variable: the host address published ports bind to. */
    public static final String BIND_ADDRESS_ENV_NAME = Setting.BIND_ADDRESS.env();
    /** Default bind address: loopback only, so the random password is the second line of defence. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Configuration parameter: seconds a leftover of another host or pid namespace is kept before the sweep removes it. */
    public static final String SWEEP_FOREIGN_AGE_PROPERTY_NAME = Setting.SWEEP_FOREIGN_AGE.property();
    /** Environment variable for {@link #SWEEP_FOREIGN_AGE_PROPERTY_NAME}. */
    public static final String SWEEP_FOREIGN_AGE_ENV_NAME = Setting.SWEEP_FOREIGN_AGE.env();
    /** Default database name. */
    public static final String DEFAULT_DATABASE = "test";
    /** Default role name. */
    public static final String DEFAULT_USERNAME = "test";

    private static final String FROM_PROPERTY = "from a system property";
    private static final String FROM_PARAMETER = "from a JUnit configuration parameter";
    private static final String FROM_ENV = "from an environment variable";

    private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
    private final Map<Setting<?>, String> origins = new LinkedHashMap<>();
    private final Optional<String> dockerHost;

    private StatefulSettings(Function<String, Optional<String>> parameters, boolean junit, Map<String, String> environment) {
        for (Setting<?> setting : Setting.all()) {
            resolve(setting, parameters, junit, environment);
        }
        dockerHost = nonBlank(environment.get("DOCKER_HOST"));
    }

    private <T> void resolve(Setting<T> setting, Function<String, Optional<String>> parameters, boolean junit,
                             Map<String, String> environment) {
        Optional<String> parameter = parameters.apply(setting.property()).flatMap(StatefulSettings::nonBlank);
        if (parameter.isPresent()) {
            String where = !junit || parameter.get().equals(System.getProperty(setting.property()))
                    ? FROM_PROPERTY : FROM_PARAMETER;
            values.put(setting, setting.parse(setting.property(), where, parameter.get()));
            origins.put(setting, where);
            return;
        }
        Optional<String> env = nonBlank(environment.get(setting.env()));
        if (env.isPresent()) {
            values.put(setting, setting.parse(setting.env(), FROM_ENV, env.get()));
            origins.put(setting, FROM_ENV);
            return;
        }
        values.put(setting, setting.defaultValue());
        origins.put(setting, "default");
    }

    /**
     * Resolve the settings outside JUnit: system property, then environment variable, then default.
     *
     * @return the settings
     * @throws InvalidArgumentException when a value is invalid
     */
    public static StatefulSettings fromSystem() {
        return new StatefulSettings(name -> Optional.ofNullable(System.getProperty(name)), false, System.getenv());
    }

    /**
     * Resolve the settings from JUnit configuration parameters (which include system properties
     * and {@code junit-platform.properties}), then the environment, then defaults.
     *
     * @param parameters a lookup of configuration parameters, such as {@code ExtensionContext::getConfigurationParameter}
     * @return the settings
     * @throws InvalidArgumentException when a value is invalid
     */
    public static StatefulSettings fromParameters(Function<String, Optional<String>> parameters) {
        return new StatefulSettings(parameters, true, System.getenv());
    }

    /**
     * Resolve the settings from given parameters and environment: the boundary that tests use to
     * exercise the environment as a source without changing the process's own.
     *
     * @param parameters a lookup of configuration parameters or system properties
     * @param environment the environment variables
     * @return the settings
     * @throws InvalidArgumentException when a value is invalid
     */
    public static StatefulSettings of(Function<String, Optional<String>> parameters, Map<String, String> environment) {
        return new StatefulSettings(parameters, true, Map.copyOf(environment));
    }

    /**
     * Return a setting's value.
     *
     * @param setting the setting
     * @param <T> its type
     * @return the value from the strongest source that sets it, or its default
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) Objects.requireNonNull(values.get(setting), setting.property());
    }

    /**
     * Say where a setting's value came from.
     *
     * @param setting the setting
     * @return for example "from an environment variable", or "default"
     */
    public String origin(Setting<?> setting) {
        return origins.get(setting);
    }

    /**
     * Return {@code DOCKER_HOST} as the environment gives it, for messages about the engine.
     *
     * @return the value, or empty
     */
    public Optional<String> dockerHost() {
        return dockerHost;
    }

    /**
     * Return the migration settings of the {@code stateful.flyway.*} and {@code stateful.liquibase.*}
     * settings, on Flyway's defaults.
     *
     * @return migration settings
     */
    public MigrationSettings migrationSettings() {
        MigrationSettings settings = MigrationSettings.defaults();
        if (!get(Setting.FLYWAY_LOCATIONS).isEmpty()) {
            settings = settings.withLocations(get(Setting.FLYWAY_LOCATIONS).toArray(String[]::new));
        }
        if (!get(Setting.FLYWAY_SCHEMAS).isEmpty()) {
            settings = settings.withSchemas(get(Setting.FLYWAY_SCHEMAS).toArray(String[]::new));
        }
        if (!get(Setting.FLYWAY_PLACEHOLDERS).isEmpty()) {
            settings = settings.withPlaceholders(get(Setting.FLYWAY_PLACEHOLDERS));
        }
        if (!get(Setting.LIQUIBASE_CHANGELOG).isBlank()) {
            settings = settings.withChangelog(get(Setting.LIQUIBASE_CHANGELOG));
        }
        return settings.withBaselineOnMigrate(get(Setting.FLYWAY_BASELINE_ON_MIGRATE))
                .withContexts(get(Setting.LIQUIBASE_CONTEXTS)).withLabels(get(Setting.LIQUIBASE_LABELS));
    }

    /**
     * Return the default image: {@code stateful.image}, then {@code STATEFUL_IMAGE}, then
     * {@value #DEFAULT_IMAGE}.
     *
     * @return an image reference
     */
    public static String defaultImage() {
        return fromSystem().get(Setting.IMAGE);
    }

    /**
     * Return how old a leftover container or volume of another host or pid namespace must be
     * before the sweep removes it ({@code stateful.sweep.foreign-age}, then
     * {@code STATEFUL_SWEEP_FOREIGN_AGE}, whole seconds; default a day). Leftovers of a dead
     * process of this host and namespace are removed at once.
     *
     * @return the age threshold
     * @throws InvalidArgumentException when the value is not a positive whole number
     */
    public static Duration sweepForeignAge() {
        return fromSystem().get(Setting.SWEEP_FOREIGN_AGE);
    }

    /**
     * Return what the engine layer needs of these settings.
     *
     * @return the engine's settings
     */
    EngineSettings engineSettings() {
        return new EngineSettings(dockerHost(), get(Setting.SWEEP_FOREIGN_AGE), get(Setting.COMMAND_TIMEOUT),
                get(Setting.ENGINE_TIMEOUT));
    }

    /**
     * Parse a positive number of seconds.
     *
     * @param name the setting's name, for the message
     * @param value the text
     * @return the duration
     * @throws InvalidArgumentException when the value is not a positive whole number
     */
    public static Duration parseSeconds(String name, String value) {
        return Setting.STARTUP_TIMEOUT.parse(name, "", value);
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
