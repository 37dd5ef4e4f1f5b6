package dev.stateful.internal.dump;

import dev.stateful.dump.DumpFormat;
import dev.stateful.error.DumpException;
import dev.stateful.error.EngineException;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.engine.StreamingTar;
import dev.stateful.internal.pg.DumpFileMessages;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dump (and its globals file) on its way into the container: a tar built on the fly from the
 * files (gzip undone on the way), streamed through the engine's archive API, its progress logged
 * every few seconds. Memory use does not depend on the dump's size.
 */
final class DumpUpload {
    private static final Logger LOG = LoggerFactory.getLogger(DumpUpload.class);
    private static final long PROGRESS_EVERY_MILLIS = 5_000;

    private final List<StreamingTar.Entry> entries = new ArrayList<>();
    private final String remoteDir;
    private final String remote;
    private final String remoteGlobals;
    private final long bytes;

    /**
     * Plan the upload of a dump: its size is read now (a gzipped file is read once), so that an
     * empty or corrupt file fails before anything is changed.
     *
     * @param path the dump file or directory
     * @param detected its format
     * @param globalsFile a pg_dumpall globals file, or {@code null}
     */
    DumpUpload(Path path, DumpFormat.Detected detected, Path globalsFile) {
        DumpFormat format = detected.format();
        String name = "stateful-restore-" + VolumeNames.randomHex(4);
        remoteDir = "/tmp/" + name;
        entries.add(StreamingTar.Entry.directory(name));
        long total;
        if (format == DumpFormat.DIRECTORY) {
            remote = remoteDir + "/dump";
            entries.add(StreamingTar.Entry.directory(name + "/dump"));
            total = addDirectory(path, name + "/dump/", entries);
        } else {
            remote = remoteDir + "/dump." + extension(format);
            total = addFile(path, detected.gzipped(), name + "/dump." + extension(format), entries);
        }
        remoteGlobals = remoteDir + "/globals.sql";
        if (globalsFile != null) {
            total += addFile(globalsFile, DumpFormat.detect(globalsFile).gzipped(), name + "/globals.sql", entries);
        }
        bytes = total;
    }

    /** The directory in the container that holds the upload; removed after the restore. */
    String remoteDir() {
        return remoteDir;
    }

    /** The dump's path in the container. */
    String remote() {
        return remote;
    }

    /** The globals file's path in the container. */
    String remoteGlobals() {
        return remoteGlobals;
    }

    /** The bytes uploaded (after gzip is undone). */
    long bytes() {
        return bytes;
    }

    /** Stream the files into the container's {@code /tmp}. */
    void copyInto(ContainerDatabase target, String description) {
        long started = System.nanoTime();
        AtomicLong written = new AtomicLong();
        Thread progress = progressLogger(written, bytes, description);
        try (InputStream tar = StreamingTar.stream(entries, written)) {
            target.engine.copyToContainer(target.containerId, tar, "/tmp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            progress.interrupt();
        }
        if (written.get() != bytes) {
            throw new EngineException("only " + written.get() + " of " + bytes + " bytes reached the container");
        }
        LOG.info("Copied {} of dump {} into the container in {} ms", DumpMessages.size(bytes), description,
                ContainerDatabase.millisSince(started));
    }

    private static Thread progressLogger(AtomicLong written, long total, String description) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(PROGRESS_EVERY_MILLIS);
                    LOG.info("Copying dump {}: {} of {}", description, DumpMessages.size(written.get()),
                            DumpMessages.size(total));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stateful-copy-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long addFile(Path path, boolean gzipped, String entryName, List<StreamingTar.Entry> entries) {
        long bytes = gzipped ? gunzippedSize(path) : size(path);
        if (bytes == 0) {
            throw new DumpException(DumpFileMessages.empty(path));
        }
        StreamingTar.Content content = gzipped
                ? () -> new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16), 1 << 16)
                : () -> Files.newInputStream(path);
        entries.add(StreamingTar.Entry.file(entryName, bytes, content));
        return bytes;
    }

    private static long addDirectory(Path dir, String prefix, List<StreamingTar.Entry> entries) {
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                long size = Files.size(file);
                entries.add(StreamingTar.Entry.file(prefix + file.getFileName(), size, () -> Files.newInputStream(file)));
                total += size;
            }
        } catch (IOException e) {
            throw new DumpException(DumpFileMessages.unreadable(dir, e), e);
        }
        return total;
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new DumpException(DumpFileMessages.unreadable(path, e), e);
        }
    }

    /** Read the gzip data once to learn its size (a tar entry needs it up front) and check it is whole. */
    private static long gunzippedSize(Path path) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16),
                1 << 16)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new DumpException(DumpFileMessages.corruptGzip(path, e), e);
        }
    }

    private static String extension(DumpFormat format) {
        return switch (format) {
            case CUSTOM -> "dump";
            case TAR -> "tar";
            case PLAIN -> "sql";
            case DIRECTORY -> "";
        };
    }
}
