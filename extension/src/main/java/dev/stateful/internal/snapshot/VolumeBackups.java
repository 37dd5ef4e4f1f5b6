package dev.stateful.internal.snapshot;

import dev.stateful.error.EngineException;
import dev.stateful.error.StatefulException;
import dev.stateful.internal.Server;
import dev.stateful.internal.engine.DockerEngine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back up a data directory as a tar file on the host and restore it, through the Docker archive
 * API (no {@code docker} CLI, works with a remote engine). The server is stopped while the
 * archive is read or written, so the copy is consistent. Entries are stored relative to the data
 * directory, so a backup restores into an image whose {@code PGDATA} is elsewhere.
 */
public final class VolumeBackups {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeBackups.class);
    private static final Duration WIPE_TIMEOUT = Duration.ofMinutes(10);

    private VolumeBackups() {
    }

    /**
     * Write the server's whole data directory to a tar file on the host, with the server stopped
     * for a consistent copy and started again.
     *
     * @param server the server, whose container exists
     * @param target the file to write (replaced)
     * @return its size in bytes
     */
    public static long backup(Server server, Path target) {
        synchronized (server.lock()) {
            boolean running = server.isRunning();
            if (running) {
                server.stop();
            }
            try {
                return backup(server.engine(), server.containerId(), server.dataDirectory(), target);
            } finally {
                if (running) {
                    server.start();
                }
            }
        }
    }

    /**
     * Replace the server's whole data directory by a backup written by {@link #backup}, then
     * start the server on it. The backup may come from an image with another {@code PGDATA}.
     *
     * @param server the server; its volume and container are created when missing
     * @param backup the tar file
     */
    public static void restore(Server server, Path backup) {
        synchronized (server.lock()) {
            server.ensureStoppedContainer();
            restore(server.engine(), server.image(), server.volumeName(), server.containerId(), server.dataDirectory(),
                    backup);
            server.start();
        }
    }

    /** Write the stopped container's data directory to {@code target} as a tar of relative paths. */
    public static long backup(DockerEngine engine, String containerId, String dataDirectory, Path target) {
        long started = System.nanoTime();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(target));
             TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            PipedInputStream pipeIn = new PipedInputStream(1 << 16);
            PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try (pipeOut) {
                    engine.copyFromContainer(containerId, dataDirectory, pipeOut);
                } catch (IOException | RuntimeException e) {
                    failure.set(e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e));
                }
            }, "stateful-volume-backup");
            reader.start();
            try (TarArchiveInputStream in = new TarArchiveInputStream(pipeIn)) {
                for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                    String relative = stripTop(entry.getName());
                    if (relative.isEmpty()) {
                        continue;
                    }
                    entry.setName(relative);
                    out.putArchiveEntry(entry);
                    if (!entry.isDirectory()) {
                        in.transferTo(out);
                    }
                    out.closeArchiveEntry();
                }
            }
            join(reader);
            if (failure.get() != null) {
                throw failure.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write volume backup " + target, e);
        }
        long bytes = size(target);
        LOG.info("Wrote volume backup {} ({} MB) in {} ms", target, bytes / 1_000_000, (System.nanoTime() - started) / 1_000_000);
        return bytes;
    }

    /** Replace the stopped container's data directory by a backup written by {@link #write}. */
    public static void restore(DockerEngine engine, String image, String volume, String containerId, String dataDirectory, Path backup) {
        long started = System.nanoTime();
        var wipe = engine.runToCompletion(image, List.of("find", "/to", "-mindepth", "1", "-delete"), Map.of(volume, "/to"),
                dev.stateful.internal.engine.Labels.forNewResource(true), WIPE_TIMEOUT);
        if (!wipe.succeeded()) {
            throw new EngineException("cannot empty volume '" + volume + "' before restoring " + backup + ":\n" + wipe.stderrTail(10));
        }
        String top = Path.of(dataDirectory).getFileName().toString();
        String parent = Path.of(dataDirectory).getParent().toString();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(backup))) {
            PipedInputStream pipeIn = new PipedInputStream(1 << 16);
            PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
            AtomicReference<IOException> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try (TarArchiveInputStream in = new TarArchiveInputStream(file);
                     TarArchiveOutputStream out = new TarArchiveOutputStream(pipeOut)) {
                    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                        entry.setName(top + "/" + entry.getName());
                        out.putArchiveEntry(entry);
                        if (!entry.isDirectory()) {
                            in.transferTo(out);
                        }
                        out.closeArchiveEntry();
                    }
                } catch (IOException e) {
                    failure.set(e);
                }
            }, "stateful-volume-restore");
            writer.start();
            engine.copyToContainer(containerId, pipeIn, parent);
            join(writer);
            if (failure.get() != null) {
                throw new UncheckedIOException("cannot read volume backup " + backup, failure.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read volume backup " + backup, e);
        }
        LOG.info("Restored volume {} from backup {} in {} ms", volume, backup, (System.nanoTime() - started) / 1_000_000);
    }

    /** Tell whether a file is a volume backup: a tar whose entries include {@code PG_VERSION}. */
    public static boolean isVolumeBackup(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (TarArchiveInputStream in = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.getName().equals("PG_VERSION")) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String stripTop(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(slash + 1);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatefulException("interrupted while copying a volume backup", e);
        }
    }
}
