package dev.stateful.internal;

import dev.stateful.error.InvalidArgumentException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Validate and generate Docker volume names. */
public final class VolumeNames {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final int MAX_LENGTH = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private VolumeNames() {
    }

    /**
     * Check that a name is a valid Docker volume name.
     *
     * @param name the name
     * @return the name
     * @throws InvalidArgumentException when it is not
     */
    public static String validate(String name) {
        if (name == null || !VALID.matcher(name).matches() || name.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("volume name '" + name + "' is invalid; expected 2 to " + MAX_LENGTH
                    + " characters, starting with a letter or digit, then only letters, digits, '_', '.' or '-'. "
                    + "Fix: use a name such as 'orders-db', or leave the name out to get a generated one.");
        }
        return name;
    }

    /**
     * Generate a name unique to this run: {@code stateful-<hint>-<random>}.
     *
     * @param hint a readable part, such as the test class's simple name; invalid characters become '-'
     * @return a valid, unique name
     */
    public static String generate(String hint) {
        String readable = hint == null ? "" : hint.replaceAll("[^a-zA-Z0-9_.-]+", "-").replaceAll("^[-_.]+", "");
        if (readable.length() > 40) {
            readable = readable.substring(0, 40);
        }
        String suffix = randomHex(4);
        return readable.isEmpty() ? "stateful-" + suffix : "stateful-" + readable + "-" + suffix;
    }

    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
