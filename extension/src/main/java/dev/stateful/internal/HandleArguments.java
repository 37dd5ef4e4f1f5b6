package dev.stateful.internal;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.pg.PgCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Check the arguments given to the handle's builder, before anything is created: each method
 * returns the value to use or throws {@link InvalidArgumentException} saying what was expected.
 * Not API.
 */
public final class HandleArguments {
    /** Postgres' NAMEDATALEN - 1: longer identifiers are cut. */
    private static final int MAX_NAME_BYTES = 63;
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_.]*");
    private static final Pattern TMPFS_SIZE = Pattern.compile("[0-9]{1,9}[kmgKMG]");
    private static final Pattern SCRIPT = Pattern.compile("[A-Za-z0-9_.-]+\\.(sql|sql\\.gz|sh)");

    private HandleArguments() {
    }

    /**
     * Check the size of an in-memory volume.
     *
     * @param size such as {@code 64m}: digits followed by k, m or g, at least 1m
     * @return the size, stripped and in lower case
     */
    public static String tmpfsSize(String size) {
        if (size == null || !TMPFS_SIZE.matcher(size.strip()).matches()) {
            throw new InvalidArgumentException("tmpfsVolume size '" + size + "' is invalid; expected digits "
                    + "followed by k, m or g, such as 64m. Fix: pass for example tmpfsVolume(\"64m\").");
        }
        String value = size.strip().toLowerCase(Locale.ROOT);
        long bytes = Long.parseLong(value.substring(0, value.length() - 1))
                * switch (value.charAt(value.length() - 1)) {
                    case 'k' -> 1024L;
                    case 'm' -> 1024L * 1024;
                    default -> 1024L * 1024 * 1024;
                };
        if (bytes < 1024L * 1024) {
            throw new InvalidArgumentException("tmpfsVolume size '" + size + "' is too small; expected at least "
                    + "1m (Postgres needs about 40m for an empty cluster). Fix: pass for example tmpfsVolume(\"64m\").");
        }
        return value;
    }

    /**
     * Check a database or role name.
     *
     * @param what {@code database} or {@code username}, for the message
     * @param name the name
     * @return the name
     */
    public static String name(String what, String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new InvalidArgumentException(what + " '" + name + "' is invalid; expected 1 to " + MAX_NAME_BYTES
                    + " bytes in UTF-8 without NUL characters, because Postgres cuts longer names. "
                    + "Fix: use a shorter name such as 'app'.");
        }
        return name;
    }

    /**
     * Check a password: not empty, no NUL character.
     *
     * @param secret the password; never part of a message
     * @return the password
     */
    public static String password(String secret) {
        if (secret == null || secret.isEmpty() || secret.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("password is invalid; expected a non-empty string without NUL "
                    + "characters. Fix: pass a password, or leave it out to get a random one.");
        }
        return secret;
    }

    /**
     * Check the name of a container environment variable that Stateful does not set itself.
     *
     * @param key the variable name
     * @return the name
     */
    public static String envKey(String key) {
        if (key == null || !ENV_KEY.matcher(key).matches()) {
            throw new InvalidArgumentException("env key '" + key + "' is invalid; expected a variable name "
                    + "such as POSTGRES_INITDB_ARGS. Fix: use letters, digits and '_'.");
        }
        if (List.of("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB").contains(key)) {
            throw new InvalidArgumentException("env key '" + key + "' is set by Stateful; expected another variable. "
                    + "Fix: use username(...), password(...) or database(...) instead.");
        }
        return key;
    }

    /**
     * Check a server setting passed as {@code postgres -c name=value}.
     *
     * @param name the setting's name, such as {@code shared_buffers}
     * @param value its value
     * @return the name
     */
    public static String serverSetting(String name, String value) {
        if (name == null || !SETTING_NAME.matcher(name).matches()) {
            throw new InvalidArgumentException("server setting '" + name + "' is invalid; expected a Postgres setting "
                    + "name such as shared_buffers. Fix: use lower-case letters, digits, '_' and '.'.");
        }
        if (value == null) {
            throw new InvalidArgumentException("server setting '" + name + "' has no value; expected for example "
                    + name + "=64MB. Fix: give it a value.");
        }
        if (PgCommands.RESERVED_SETTINGS.contains(name)) {
            throw new InvalidArgumentException("server setting '" + name + "' is set by Stateful, which relies on it "
                    + "(the published port, the data directory on the volume, the socket its commands use); expected "
                    + "another setting. Fix: remove '-c " + name + "=" + value + "'.");
        }
        return name;
    }

    /**
     * Check the file name of an init script.
     *
     * @param fileName such as {@code 01-schema.sql}
     * @return the name
     */
    public static String initScriptName(String fileName) {
        if (fileName == null || !SCRIPT.matcher(fileName).matches()) {
            throw new InvalidArgumentException("init script name '" + fileName + "' is invalid; expected a file "
                    + "name ending in .sql, .sql.gz or .sh, without '/'. Fix: use a name such as '01-schema.sql'.");
        }
        return fileName;
    }

    /**
     * Check the startup timeout.
     *
     * @param timeout how long a start may take
     * @return the timeout
     */
    public static Duration startupTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidArgumentException("startupTimeout '" + timeout + "' is invalid; expected a positive "
                    + "duration. Fix: pass for example Duration.ofSeconds(60).");
        }
        return timeout;
    }

    /**
     * Check the command timeout.
     *
     * @param timeout how long one command in the container may run
     * @return the timeout
     */
    public static Duration commandTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidArgumentException("commandTimeout '" + timeout + "' is invalid; expected a positive "
                    + "duration. Fix: pass for example Duration.ofMinutes(30).");
        }
        return timeout;
    }
}
