package dev.stateful.internal.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an exported cache entry says about itself: its key and the key's inputs, where it came
 * from, its sizes and the checksum of its data.
 *
 * @param key the cache key (64 hex digits)
 * @param created when it was written, ISO-8601
 * @param image the image reference the state was built with
 * @param imageId that image's id
 * @param postgresVersion the data directory's {@code PG_VERSION}
 * @param compression how the data is compressed
 * @param dataBytes the size of the data directory
 * @param archiveBytes the size of the compressed data that follows the header
 * @param archiveSha256 the SHA-256 of the compressed data
 * @param inputs the key's named parts, when this JVM built the key
 */
public record CacheManifest(String key, String created, String image, String imageId, String postgresVersion,
                            String compression, long dataBytes, long archiveBytes, String archiveSha256,
                            Map<String, String> inputs) {
    /** The compression of every archive this version writes. */
    public static final String COMPRESSION = "tar+gzip -1";

    /** Return the manifest as ordered {@code name=value} fields. */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("created", created);
        fields.put("image", image);
        fields.put("image-id", imageId);
        fields.put("postgres-version", postgresVersion);
        fields.put("compression", compression);
        fields.put("data-bytes", Long.toString(dataBytes));
        fields.put("archive-bytes", Long.toString(archiveBytes));
        fields.put("archive-sha256", archiveSha256);
        new TreeMap<>(inputs).forEach((name, value) -> fields.put("input." + name, value));
        return fields;
    }

    /** Read a manifest back from its fields; a missing or malformed field is an IllegalArgumentException. */
    static CacheManifest of(Map<String, String> fields) {
        Map<String, String> inputs = new TreeMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith("input.")) {
                inputs.put(name.substring("input.".length()), value);
            }
        });
        return new CacheManifest(required(fields, "key"), required(fields, "created"), required(fields, "image"),
                required(fields, "image-id"), required(fields, "postgres-version"), required(fields, "compression"),
                Long.parseLong(required(fields, "data-bytes")), Long.parseLong(required(fields, "archive-bytes")),
                required(fields, "archive-sha256"), inputs);
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the manifest has no field '" + name + "'");
        }
        return value;
    }
}
