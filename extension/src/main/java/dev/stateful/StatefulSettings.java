package dev.stateful;

import java.time.Duration;
import java.util.Optional;

/**
 * Name Stateful's configuration keys and resolve their defaults.
 *
 * <p>Each setting can be given, from strongest to weakest, as an annotation attribute, a
 * JUnit configuration parameter or Java system property ({@code stateful.*}), an environment
 * variable ({@code STATEFUL_*}), or left to its default. Outside JUnit the builder reads the
 * system property and the environment variable.
 */
public final class StatefulSettings {
    /** Configuration parameter naming the default image. */
    public static final String IMAGE_PROPERTY_NAME = "stateful.image";
    /** Environment variable naming the default image. */
    public static final String IMAGE_ENV_NAME = "STATEFUL_IMAGE";
    /** The image used when nothing else is configured: the official Postgres 17 image. */
    public static final String DEFAULT_IMAGE = "postgres:17";

    /** Configuration parameter: seconds a server may take to accept queries. */
    public static final String STARTUP_TIMEOUT_PROPERTY_NAME = "stateful.startup-timeout";
    /** Environment variable: seconds a server may take to accept queries. */
    public static final String STARTUP_TIMEOUT_ENV_NAME = "STATEFUL_STARTUP_TIMEOUT";
    /** Default startup timeout. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /** Configuration parameter: the default database name. */
    public static final String DATABASE_PROPERTY_NAME = "stateful.database";
    /** Environment variable: the default database name. */
    public static final String DATABASE_ENV_NAME = "STATEFUL_DATABASE";
    /** Configuration parameter: the default role name. */
    public static final String USERNAME_PROPERTY_NAME = "stateful.username";
    /** Environment variable: the default role name. */
    public static final String USERNAME_ENV_NAME = "STATEFUL_USERNAME";

    /** Configuration parameter: how many ready clones of each snapshot to keep (0 to 8). */
    public static final String SNAPSHOT_POOL_PROPERTY_NAME = "stateful.snapshot-pool";
    /** Environment variable: how many ready clones of each snapshot to keep. */
    public static final String SNAPSHOT_POOL_ENV_NAME = "STATEFUL_SNAPSHOT_POOL";
    /** Default size of the snapshot pool. */
    public static final int DEFAULT_SNAPSHOT_POOL = 1;

    /** Configuration parameter: {@code true} to restore snapshots table by table where that is exact, {@code false} to always clone. */
    public static final String TABLE_RESET_PROPERTY_NAME = "stateful.table-reset";
    /** Environment variable: {@code true} or {@code false}, as {@link #TABLE_RESET_PROPERTY_NAME}. */
    public static final String TABLE_RESET_ENV_NAME = "STATEFUL_TABLE_RESET";
    /** Default: restore table by table where that is exact. */
    public static final boolean DEFAULT_TABLE_RESET = true;

    /** Configuration parameter: the host address published ports bind to. */
    public static final String BIND_ADDRESS_PROPERTY_NAME = "stateful.bind-address";
    /** Environment variable: the host address published ports bind to. */
    public static final String BIND_ADDRESS_ENV_NAME = "STATEFUL_BIND_ADDRESS";
    /** Default bind address: loopback only, so the random password is the second line of defence. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    /** Default database name. */
    public static final String DEFAULT_DATABASE = "test";
    /** Default role name. */
    public static final String DEFAULT_USERNAME = "test";

    private StatefulSettings() {
    }

    /**
     * Resolve a setting from a system property, then an environment variable.
     *
     * @param propertyName the {@code stateful.*} name
     * @param envName the {@code STATEFUL_*} name
     * @return the value, or empty when neither is set
     */
    public static Optional<String> fromSystem(String propertyName, String envName) {
        String value = System.getProperty(propertyName);
        if (value == null || value.isBlank()) {
            value = System.getenv(envName);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /**
     * Return the default image: {@code stateful.image}, then {@code STATEFUL_IMAGE}, then
     * {@value #DEFAULT_IMAGE}.
     *
     * @return an image reference
     */
    public static String defaultImage() {
        return fromSystem(IMAGE_PROPERTY_NAME, IMAGE_ENV_NAME).orElse(DEFAULT_IMAGE);
    }

    /**
     * Return the default startup timeout.
     *
     * @return the timeout
     */
    public static Duration defaultStartupTimeout() {
        // Parsed per source, so that a bad value's message names where it was set.
        String property = System.getProperty(STARTUP_TIMEOUT_PROPERTY_NAME);
        if (property != null && !property.isBlank()) {
            return parseSeconds(STARTUP_TIMEOUT_PROPERTY_NAME, property);
        }
        String env = System.getenv(STARTUP_TIMEOUT_ENV_NAME);
        if (env != null && !env.isBlank()) {
            return parseSeconds(STARTUP_TIMEOUT_ENV_NAME, env);
        }
        return DEFAULT_STARTUP_TIMEOUT;
    }

    /**
     * Return the address published ports bind to: {@code 127.0.0.1} unless configured (for
     * example {@code 0.0.0.0} for a remote {@code DOCKER_HOST} whose loopback this JVM cannot reach).
     *
     * @return an IP address
     */
    public static String bindAddress() {
        String value = fromSystem(BIND_ADDRESS_PROPERTY_NAME, BIND_ADDRESS_ENV_NAME).orElse(DEFAULT_BIND_ADDRESS);
        if (!value.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new InvalidArgumentException(BIND_ADDRESS_PROPERTY_NAME + " '" + value + "' is invalid; expected an IP "
                    + "address such as 127.0.0.1. Fix: set it to the address of the Docker host's interface to publish on.");
        }
        return value;
    }

    /**
     * Return the default snapshot pool size.
     *
     * @return 0 to 8
     */
    public static int defaultSnapshotPool() {
        return fromSystem(SNAPSHOT_POOL_PROPERTY_NAME, SNAPSHOT_POOL_ENV_NAME)
                .map(v -> checkSnapshotPool(SNAPSHOT_POOL_PROPERTY_NAME, v))
                .orElse(DEFAULT_SNAPSHOT_POOL);
    }

    /**
     * Return whether snapshots are restored table by table where that is exact:
     * {@code stateful.table-reset}, then {@code STATEFUL_TABLE_RESET}, then {@code true}.
     *
     * @return the default of {@code StatefulPostgres.Builder#tableReset}
     */
    public static boolean defaultTableReset() {
        return fromSystem(TABLE_RESET_PROPERTY_NAME, TABLE_RESET_ENV_NAME)
                .map(v -> checkBoolean(TABLE_RESET_PROPERTY_NAME, v))
                .orElse(DEFAULT_TABLE_RESET);
    }

    /**
     * Parse {@code true} or {@code false}.
     *
     * @param name the setting's name, for the message
     * @param value the text
     * @return the value
     * @throws InvalidArgumentException unless it is {@code true} or {@code false}, any case
     */
    public static boolean checkBoolean(String name, String value) {
        String v = value.strip();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new InvalidArgumentException(name + " '" + value + "' is invalid; expected true or false. "
                + "Fix: use true (the default) or false.");
    }

    /**
     * Parse a snapshot pool size.
     *
     * @param name the setting's name, for the message
     * @param value the text
     * @return the size
     * @throws InvalidArgumentException unless it is a whole number from 0 to 8
     */
    public static int checkSnapshotPool(String name, String value) {
        try {
            int size = Integer.parseInt(value.strip());
            if (size >= 0 && size <= 8) {
                return size;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new InvalidArgumentException(name + " '" + value + "' is invalid; expected a whole number from 0 to 8. "
                + "Fix: use 1 (the default) or 0 to turn the pool off.");
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
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new InvalidArgumentException(name + " '" + value + "' is invalid; expected a positive whole number "
                + "of seconds. Fix: set it to, for example, 120.");
    }
}
