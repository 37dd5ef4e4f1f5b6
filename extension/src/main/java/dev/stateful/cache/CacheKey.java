package dev.stateful.cache;

import dev.stateful.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Name a database state by everything that determines it: a SHA-256 over named parts such as
 * the image id, the dump's bytes, each migration's checksum and the target version.
 *
 * <pre>{@code
 * String key = CacheKey.builder()
 *         .part("image", imageId)
 *         .file("dump", Path.of("nightly.dump"))
 *         .part("migration:3", "checksum 12345")
 *         .part("target", "latest")
 *         .build();
 * }</pre>
 *
 * <p>Any change of any part gives another key, so a stale entry can never hide a broken
 * migration. The format version of Stateful's cache is always part of the key.
 */
public final class CacheKey {
    /** Bumped whenever what a cache entry holds changes meaning. */
    public static final String FORMAT_VERSION = "1";

    /** The parts of the keys this JVM built recently, for the manifests of exported entries. */
    private static final Map<String, Map<String, String>> INPUTS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> eldest) {
                    return size() > 256;
                }
            });

    private CacheKey() {
    }

    /** Return the named parts of a key built in this JVM, or an empty map. */
    static Map<String, String> inputsOf(String key) {
        return INPUTS.getOrDefault(key, Map.of());
    }

    /**
     * Start a key.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collect the parts of a key; their order does not matter. */
    public static final class Builder {
        private final Map<String, String> parts = new TreeMap<>();

        private Builder() {
            parts.put("stateful-cache-format", FORMAT_VERSION);
        }

        /**
         * Add a named part.
         *
         * @param name what it is, unique within the key
         * @param value its value
         * @return this builder
         */
        public Builder part(String name, String value) {
            if (parts.putIfAbsent(name, String.valueOf(value)) != null) {
                throw new InvalidArgumentException("cache key part '" + name + "' was given twice; expected each part "
                        + "once. Fix: give the parts distinct names.");
            }
            return this;
        }

        /**
         * Add a file's content (a directory's files, in name order) as a part.
         *
         * @param name what it is
         * @param path the file or directory
         * @return this builder
         */
        public Builder file(String name, Path path) {
            return part(name, sha256(path));
        }

        /**
         * Return the key: 64 hex digits.
         *
         * @return the SHA-256 of the parts
         */
        public String build() {
            MessageDigest digest = sha256();
            parts.forEach((k, v) -> digest.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            String key = HexFormat.of().formatHex(digest.digest());
            INPUTS.put(key, Map.copyOf(parts));
            return key;
        }
    }

    static String sha256(Path path) {
        MessageDigest digest = sha256();
        try {
            if (Files.isDirectory(path)) {
                try (var files = Files.walk(path)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        digest.update(path.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                        update(digest, file);
                    }
                }
            } else {
                update(digest, path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " for the cache key", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
