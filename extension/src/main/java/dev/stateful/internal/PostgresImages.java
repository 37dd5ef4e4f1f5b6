package dev.stateful.internal;

import dev.stateful.error.ImageException;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ImageInfo;

/** Check image references and read a Postgres image's data directory. Not API. */
public final class PostgresImages {
    private PostgresImages() {
    }

    /**
     * Reject a missing or blank image reference, before anything is created.
     *
     * @param where the method the reference was given to, for the message, e.g. {@code image(...)}
     * @param image the reference
     * @throws InvalidArgumentException when it is null or blank
     */
    public static void requireReference(String where, String image) {
        if (image == null || image.isBlank()) {
            throw new InvalidArgumentException(where + ": image '" + image + "' is invalid; expected an image "
                    + "reference such as postgres:17. Fix: pass the image to run.");
        }
    }

    /**
     * Return the data directory ({@code PGDATA}) of a Postgres image, where the volume is mounted.
     *
     * @param engine the engine that has (or pulls) the image
     * @param reference the image
     * @return an absolute path inside the container
     * @throws ImageException when the image sets no {@code PGDATA}: not a Postgres image
     */
    public static String dataDirectory(DockerEngine engine, String reference) {
        ImageInfo info = engine.image(reference);
        if (info.envValue("PGDATA").isEmpty()) {
            throw new ImageException("image '" + reference + "' does not look like a Postgres image: its configuration "
                    + "sets no PGDATA; expected the official postgres image or one built FROM it. "
                    + "Fix: use an image such as postgres:17.");
        }
        return info.envValue("PGDATA").orElseThrow();
    }
}
