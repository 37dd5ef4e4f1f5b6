package dev.stateful.internal.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testcontainers.DockerClientFactory;

/**
 * Create and remove throw-away images for tests, through the same docker-java client the
 * engine uses. Test scope only: main code goes through {@link DockerEngine}.
 */
public final class TestImages {
    private TestImages() {
    }

    /**
     * Load an image (as {@code docker load} does) whose file system holds a single text file and whose configuration is
     * empty: no {@code PGDATA}, no entrypoint. Nothing is pulled.
     *
     * @param repository such as {@code stateful-test/not-postgres}
     * @param tag a tag unique to the caller, so that concurrent runs do not share the image
     * @return the reference {@code repository:tag}
     */
    public static String importNotPostgres(String repository, String tag) {
        String reference = repository + ":" + tag;
        byte[] layer = TarArchives.of(Map.of("/hello.txt", "not a database\n".getBytes(StandardCharsets.UTF_8)));
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + sha256(layer) + "\"]}}";
        String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"" + reference + "\"],"
                + "\"Layers\":[\"layer.tar\"]}]";
        Map<String, byte[]> archive = new LinkedHashMap<>();
        archive.put("/manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        archive.put("/config.json", config.getBytes(StandardCharsets.UTF_8));
        archive.put("/layer.tar", layer);
        client().loadImageCmd(new ByteArrayInputStream(TarArchives.of(archive))).exec();
        return reference;
    }

    /**
     * Remove an image; a missing one is not an error.
     *
     * @param reference the image
     */
    public static void remove(String reference) {
        try {
            client().removeImageCmd(reference).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    /**
     * Tell whether an image is present locally.
     *
     * @param reference the image
     * @return whether it exists
     */
    public static boolean exists(String reference) {
        try {
            client().inspectImageCmd(reference).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DockerClient client() {
        DockerEngine.get(); // connect the way Stateful does (and fail with its message)
        return DockerClientFactory.instance().client();
    }
}
