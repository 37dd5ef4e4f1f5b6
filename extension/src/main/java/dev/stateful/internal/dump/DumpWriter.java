package dev.stateful.internal.dump;

import dev.stateful.dump.DumpFormat;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.error.DumpException;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.engine.Pipe;
import dev.stateful.internal.pg.DumpCommands;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write a dump of the database with {@code pg_dump} in its container: a file streamed from
 * {@code pg_dump}'s standard output, or a directory dumped in the container and streamed out as a
 * tar. Written next to the target first and moved into place, so a failure leaves no half dump.
 */
final class DumpWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DumpWriter.class);
    private final ContainerDatabase db;

    DumpWriter(ContainerDatabase db) {
        this.db = db;
    }

    /**
     * Dump the database to a file or directory on this machine.
     *
     * @param target where to write (replaced)
     * @param format the dump format
     * @return the absolute path written
     */
    Path dump(Path target, DumpFormat format) {
        Path file = target.toAbsolutePath().normalize();
        long started = System.nanoTime();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            long bytes = format == DumpFormat.DIRECTORY ? dumpDirectory(file) : dumpFile(file, format);
            LOG.info("Dumped database {} to {} ({}, {}) in {} ms", db.database, file, format.label(),
                    DumpMessages.size(bytes), ContainerDatabase.millisSince(started));
            return file;
        } catch (IOException e) {
            throw new DumpException("Dumping database '" + db.database + "' to " + file + " failed: " + e
                    + ". Expected a writable location. Fix: check the path and free disk space.", e);
        }
    }

    private long dumpFile(Path file, DumpFormat format) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part-" + VolumeNames.randomHex(3));
        List<String> argv = DumpCommands.pgDump(db.role, db.database, format.name().toLowerCase(Locale.ROOT), 1, null);
        ExecResult result;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
            result = db.exec(argv, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        if (!result.succeeded()) {
            Files.deleteIfExists(part);
            throw new DumpException(DumpMessages.dumpFailed(db.database, file.toString(), result.exitCode(),
                    result.stderrTail(ContainerDatabase.TAIL_LINES)), result.stderrTail(ContainerDatabase.TAIL_LINES), List.of(), List.of(), null);
        }
        long bytes = Files.size(part);
        moveIntoPlace(part, file);
        return bytes;
    }

    private long dumpDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> content = Files.list(dir)) {
                if (!Files.isDirectory(dir) || content.findAny().isPresent()) {
                    throw new DumpException("Cannot write a directory-format dump to " + dir + ": it exists and is "
                            + "not an empty directory. Expected a new or empty directory, as pg_dump -Fd does. Fix: "
                            + "remove it first or choose another path.");
                }
            }
        }
        String remote = "/tmp/stateful-dump-" + VolumeNames.randomHex(4);
        Path part = dir.resolveSibling(dir.getFileName() + ".part-" + VolumeNames.randomHex(3));
        try {
            List<String> argv = DumpCommands.pgDump(db.role, db.database, "directory", RestoreOptions.defaultJobs(), remote);
            ExecResult result = db.exec(argv);
            if (!result.succeeded()) {
                throw new DumpException(DumpMessages.dumpFailed(db.database, dir.toString(), result.exitCode(),
                        result.stderrTail(ContainerDatabase.TAIL_LINES)), result.stderrTail(ContainerDatabase.TAIL_LINES), List.of(), List.of(), null);
            }
            long bytes = fetchDirectory(remote, part);
            Files.deleteIfExists(dir);
            moveIntoPlace(part, dir);
            return bytes;
        } finally {
            db.removeQuietly(remote);
            deleteTree(part);
        }
    }

    /** Stream {@code tar} of a container directory into a local directory. */
    private long fetchDirectory(String remote, Path local) throws IOException {
        Files.createDirectories(local);
        Pipe pipe = new Pipe(1 << 20);
        AtomicLong bytes = new AtomicLong();
        AtomicReference<IOException> extractFailure = new AtomicReference<>();
        Thread extractor = new Thread(() -> {
            try (InputStream in = pipe.source(); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (!entry.isFile()) {
                        continue;
                    }
                    Path target = local.resolve(entry.getName()).normalize();
                    if (!target.getParent().equals(local)) {
                        throw new IOException("unexpected entry " + entry.getName() + " in the dump directory");
                    }
                    bytes.addAndGet(Files.copy(tar, target));
                }
            } catch (IOException e) {
                extractFailure.set(e);
            }
        }, "stateful-dump-extractor");
        extractor.setDaemon(true);
        extractor.start();
        ExecResult result;
        try (OutputStream sink = pipe.sink()) {
            result = db.exec(DumpCommands.tarDirectory(remote), sink);
        } catch (RuntimeException e) {
            pipe.fail(new IOException(e.getMessage(), e));
            throw e;
        }
        try {
            extractor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking the dump directory", e);
        }
        if (extractFailure.get() != null) {
            throw extractFailure.get();
        }
        if (!result.succeeded()) {
            throw new IOException("tar of " + remote + " exited with " + result.exitCode() + ": "
                    + result.stderrTail(5));
        }
        return bytes.get();
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", root, e.getMessage());
        }
    }
}
