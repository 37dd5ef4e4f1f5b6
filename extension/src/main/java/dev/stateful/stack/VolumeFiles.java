package dev.stateful.stack;

import dev.stateful.error.StatefulException;
import dev.stateful.internal.engine.DockerEngine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The files of a named volume as mounted in a container: path, size, mode and SHA-256, read as a
 * tar stream through the Docker API (spooled to a temporary file, never held in memory).
 */
final class VolumeFiles {
    private static final java.time.Duration WIPE_TIMEOUT = java.time.Duration.ofMinutes(10);

    private VolumeFiles() {
    }

    /** Spool a mounted volume's files as a tar into a temporary file. */
    static Path spool(DockerEngine engine, String containerId, String target) {
        try {
            Path tar = Files.createTempFile("stateful-baseline-", ".tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                engine.copyFromContainer(containerId, target, out);
            }
            return tar;
        } catch (IOException e) {
            throw new StatefulException("cannot copy the files at " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Empty a volume with a helper container of {@code helperImage} that mounts it beside the service
     * (argv {@code find /volume -mindepth 1 -delete}, as root), then extract the tar into the service's
     * running container through the archive API: the service's own image needs neither find nor a shell.
     */
    static void restore(DockerEngine engine, String helperImage, String containerId, String service, String volume,
            String target, Path tar) {
        var emptied = engine.runToCompletion(helperImage, java.util.List.of("find", "/volume", "-mindepth", "1", "-delete"),
                Map.of(volume, "/volume"), dev.stateful.internal.engine.Labels.forNewResource(true), WIPE_TIMEOUT);
        if (!emptied.succeeded()) {
            throw new StatefulException("cannot reset the volume at " + target + " of service '" + service
                    + "': a helper container of " + helperImage + " running 'find /volume -mindepth 1 -delete' on volume '"
                    + volume + "' exited with " + emptied.exitCode() + " (" + emptied.stderrTail(3) + "); expected it "
                    + "to empty the volume. Fix: check that the image is present (docker image inspect " + helperImage
                    + "), or use reset = Reset.NONE for this stack.");
        }
        String parent = target.contains("/") && target.lastIndexOf('/') > 0 ? target.substring(0, target.lastIndexOf('/')) : "/";
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar))) {
            engine.copyToContainer(containerId, in, parent);
        } catch (IOException e) {
            throw new StatefulException("cannot reset the volume at " + target + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path tar) {
        try {
            Files.deleteIfExists(tar);
        } catch (IOException e) {
            tar.toFile().deleteOnExit();
        }
    }

    /**
     * Describe every entry of a tar: {@code volume:/path} to size, mode and SHA-256 (or dir, link).
     *
     * @param topFolder whether the entries start with the mounted folder's own name (as the archive API writes them)
     */
    static void readTar(String volume, Path tarFile, boolean topFolder, Map<String, String> into)
            throws IOException, NoSuchAlgorithmException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarFile));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
                String path;
                if (topFolder) {
                    int slash = name.indexOf('/');
                    path = slash < 0 ? "/" : name.substring(slash);
                } else {
                    path = "/" + name;
                }
                if (path.equals("/")) {
                    continue;
                }
                String mode = Integer.toOctalString(entry.getMode() & 07777);
                if (entry.isDirectory()) {
                    into.put(volume + ":" + path, "dir mode " + mode);
                } else if (entry.isSymbolicLink()) {
                    into.put(volume + ":" + path, "link -> " + entry.getLinkName());
                } else {
                    sha.reset();
                    for (int n; (n = tar.read(buffer)) > 0;) {
                        sha.update(buffer, 0, n);
                    }
                    into.put(volume + ":" + path, "size " + entry.getSize() + " mode " + mode + " sha256 "
                            + HexFormat.of().formatHex(sha.digest()).substring(0, 16));
                }
            }
        }
    }

    static void read(DockerEngine engine, String containerId, String volume, String target, Map<String, String> into) {
        Path spool = null;
        try {
            spool = Files.createTempFile("stateful-volume-", ".tar");
            try (OutputStream out = Files.newOutputStream(spool)) {
                engine.copyFromContainer(containerId, target, out);
            }
            readTar(volume, spool, true, into);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new StatefulException("cannot read the files of volume '" + volume + "' (mounted at " + target
                    + "): " + e.getMessage(), e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    spool.toFile().deleteOnExit();
                }
            }
        }
    }
}
