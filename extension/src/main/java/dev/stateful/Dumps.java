package dev.stateful;

import dev.stateful.engine.DockerEngine;
import dev.stateful.engine.ExecResult;
import dev.stateful.engine.Pipe;
import dev.stateful.engine.StreamingTar;
import dev.stateful.pg.DumpCommands;
import dev.stateful.pg.PgCommands;
import dev.stateful.pg.ToolErrors;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restore and write dumps of a handle's database with the tools inside its container.
 *
 * <p>Data goes in through the engine's archive API (a tar built on the fly), never through a
 * command's standard input; it comes out through {@code pg_dump}'s standard output. Memory
 * use does not depend on the dump's size.
 */
final class Dumps {
    private static final Logger LOG = LoggerFactory.getLogger(Dumps.class);
    private static final int TAIL_LINES = 20;
    private static final long PROGRESS_EVERY_MILLIS = 10_000;

    private final DockerEngine engine;
    private final String containerId;
    private final String role;
    private final String database;
    private final String image;

    Dumps(DockerEngine engine, String containerId, String role, String database, String image) {
        this.engine = engine;
        this.containerId = containerId;
        this.role = role;
        this.database = database;
        this.image = image;
    }

    // ---------------------------------------------------------------- restore

    void restore(Path path, String spec, RestoreOptions options) {
        DumpFormat.Detected detected = DumpFormat.detect(path);
        DumpFormat format = detected.format();
        String name = "stateful-restore-" + VolumeNames.randomHex(4);
        String remoteDir = "/tmp/" + name;
        List<StreamingTar.Entry> entries = new ArrayList<>();
        entries.add(StreamingTar.Entry.directory(name));
        String remote;
        long bytes;
        if (format == DumpFormat.DIRECTORY) {
            remote = remoteDir + "/dump";
            entries.add(StreamingTar.Entry.directory(name + "/dump"));
            bytes = addDirectory(path, name + "/dump/", entries);
        } else {
            remote = remoteDir + "/dump." + extension(format);
            bytes = detected.gzipped() ? gunzippedSize(path) : size(path);
            if (bytes == 0) {
                throw new DumpException(DumpMessages.empty(path));
            }
            StreamingTar.Content content = detected.gzipped()
                    ? () -> new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16), 1 << 16)
                    : () -> Files.newInputStream(path);
            entries.add(StreamingTar.Entry.file(name + "/dump." + extension(format), bytes, content));
        }
        String description = "'" + spec + "' (" + detected + ", " + DumpMessages.size(bytes) + ")";
        long started = System.nanoTime();
        LOG.info("Restoring dump {} into database {}", description, database);
        recreateDatabase();
        try {
            copy(entries, bytes, description);
            List<String> argv = format == DumpFormat.PLAIN
                    ? DumpCommands.psqlFile(role, database, remote)
                    : DumpCommands.pgRestore(role, database, format.name().toLowerCase(Locale.ROOT),
                            format.parallel() ? options.jobs() : 1, options.keepOwnership(),
                            options.keepPrivileges(), remote);
            long toolStarted = System.nanoTime();
            ExecResult result = engine.exec(containerId, PgCommands.OS_USER, argv, OutputStream.nullOutputStream());
            if (!result.succeeded()) {
                throw toolFailure(description, argv.get(0), result, format, options);
            }
            LOG.info("{} restored {} in {} ms{}", argv.get(0), description, millisSince(toolStarted),
                    format.parallel() && options.jobs() > 1 ? " (" + options.jobs() + " jobs)" : "");
            if (options.analyze()) {
                long analyzeStarted = System.nanoTime();
                psql(database, List.of("ANALYZE"));
                LOG.info("Analyzed database {} in {} ms", database, millisSince(analyzeStarted));
            }
        } catch (DumpException e) {
            throw e;
        } catch (RuntimeException e) {
            DumpException failure = new DumpException(DumpMessages.cannotCopy(description, database, e), e);
            resetAfterFailure(failure);
            throw failure;
        } finally {
            removeQuietly(remoteDir);
        }
        LOG.info("Restored dump {} into database {} in {} ms", description, database, millisSince(started));
    }

    private DumpException toolFailure(String description, String tool, ExecResult result, DumpFormat format,
            RestoreOptions options) {
        String stderr = result.stderrText();
        String tail = result.stderrTail(TAIL_LINES);
        String toolVersion = "";
        if (ToolErrors.unsupportedArchiveVersion(stderr).isPresent()) {
            ExecResult version = engine.exec(containerId, PgCommands.OS_USER, DumpCommands.version("pg_restore"));
            toolVersion = version.succeeded() ? version.stdoutText().strip() : "";
        }
        boolean keeps = options.keepOwnership() || options.keepPrivileges();
        RuntimeException resetError = null;
        try {
            recreateDatabase();
        } catch (RuntimeException e) {
            resetError = e;
        }
        DumpException failure = new DumpException(DumpMessages.restoreFailed(description, database, tool,
                result.exitCode(), stderr, tail, format, image, toolVersion, keeps,
                resetError == null ? null : String.valueOf(resetError.getMessage()).lines().findFirst().orElse("")),
                tail, ToolErrors.missingRoles(stderr), ToolErrors.missingExtensions(stderr), null);
        if (resetError != null) {
            failure.addSuppressed(resetError);
        }
        return failure;
    }

    private void resetAfterFailure(DumpException failure) {
        try {
            recreateDatabase();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Replace the database by an empty one, ending its sessions first. */
    void recreateDatabase() {
        psql(DumpCommands.maintenanceDatabase(database), DumpCommands.recreateDatabase(database, role));
        LOG.debug("Recreated database {}", database);
    }

    private void psql(String connectTo, List<String> commands) {
        ExecResult result = engine.exec(containerId, PgCommands.OS_USER,
                DumpCommands.psqlCommands(role, connectTo, commands));
        if (!result.succeeded()) {
            throw new DumpException("Preparing database '" + database + "' failed: psql exited with "
                    + result.exitCode() + " running " + commands + ". Expected role '" + role + "' to be allowed to "
                    + "drop and create it (the image's POSTGRES_USER is). Fix: see psql's output:\n"
                    + result.stderrTail(TAIL_LINES), result.stderrTail(TAIL_LINES), List.of(), List.of(), null);
        }
    }

    private void copy(List<StreamingTar.Entry> entries, long bytes, String description) {
        long started = System.nanoTime();
        AtomicLong written = new AtomicLong();
        Thread progress = progressLogger(written, bytes, description);
        try (InputStream tar = StreamingTar.stream(entries, written)) {
            engine.copyToContainer(containerId, tar, "/tmp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            progress.interrupt();
        }
        if (written.get() != bytes) {
            throw new EngineException("only " + written.get() + " of " + bytes + " bytes reached the container");
        }
        LOG.info("Copied {} of dump {} into the container in {} ms", DumpMessages.size(bytes), description,
                millisSince(started));
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
            throw new DumpException(DumpMessages.unreadable(dir, e), e);
        }
        return total;
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new DumpException(DumpMessages.unreadable(path, e), e);
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
            throw new DumpException(DumpMessages.corruptGzip(path, e), e);
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

    // ---------------------------------------------------------------- dump

    Path dump(Path target, DumpFormat format) {
        Path file = target.toAbsolutePath().normalize();
        long started = System.nanoTime();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            long bytes = format == DumpFormat.DIRECTORY ? dumpDirectory(file) : dumpFile(file, format);
            LOG.info("Dumped database {} to {} ({}, {}) in {} ms", database, file, format.label(),
                    DumpMessages.size(bytes), millisSince(started));
            return file;
        } catch (IOException e) {
            throw new DumpException("Dumping database '" + database + "' to " + file + " failed: " + e
                    + ". Expected a writable location. Fix: check the path and free disk space.", e);
        }
    }

    private long dumpFile(Path file, DumpFormat format) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part-" + VolumeNames.randomHex(3));
        List<String> argv = DumpCommands.pgDump(role, database, format.name().toLowerCase(Locale.ROOT), 1, null);
        ExecResult result;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
            result = engine.exec(containerId, PgCommands.OS_USER, argv, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        if (!result.succeeded()) {
            Files.deleteIfExists(part);
            throw new DumpException(DumpMessages.dumpFailed(database, file.toString(), result.exitCode(),
                    result.stderrTail(TAIL_LINES)), result.stderrTail(TAIL_LINES), List.of(), List.of(), null);
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
            List<String> argv = DumpCommands.pgDump(role, database, "directory", RestoreOptions.defaultJobs(), remote);
            ExecResult result = engine.exec(containerId, PgCommands.OS_USER, argv);
            if (!result.succeeded()) {
                throw new DumpException(DumpMessages.dumpFailed(database, dir.toString(), result.exitCode(),
                        result.stderrTail(TAIL_LINES)), result.stderrTail(TAIL_LINES), List.of(), List.of(), null);
            }
            long bytes = fetchDirectory(remote, part);
            Files.deleteIfExists(dir);
            moveIntoPlace(part, dir);
            return bytes;
        } finally {
            removeQuietly(remote);
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
            result = engine.exec(containerId, PgCommands.OS_USER, DumpCommands.tarDirectory(remote), sink);
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

    private void removeQuietly(String remote) {
        try {
            ExecResult result = engine.exec(containerId, DumpCommands.ROOT, DumpCommands.remove(remote));
            if (!result.succeeded()) {
                LOG.warn("Could not remove {} in the container: {}", remote, result.stderrTail(3));
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not remove {} in the container: {}", remote, e.getMessage());
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
