package dev.stateful.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Build a tar archive on the fly in a background thread and hand it out as an input stream,
 * for {@link DockerEngine#copyToContainer}: memory use does not depend on the files' size.
 */
public final class StreamingTar {
    private static final int PIPE_CAPACITY = 1 << 20;

    private StreamingTar() {
    }

    /** Open the content of a file entry; called once, on the tar thread. */
    @FunctionalInterface
    public interface Content {
        /**
         * Open the content.
         *
         * @return a stream of exactly the entry's size
         * @throws IOException when it cannot be opened
         */
        InputStream open() throws IOException;
    }

    /**
     * One entry of the archive: a directory when {@code content} is {@code null}.
     *
     * @param name the path inside the archive, relative, with {@code /}
     * @param size the file's size in bytes (0 for a directory)
     * @param content opens the file's content, or {@code null} for a directory
     */
    public record Entry(String name, long size, Content content) {
        /**
         * Create a directory entry.
         *
         * @param name its path, relative
         * @return the entry
         */
        public static Entry directory(String name) {
            return new Entry(name.endsWith("/") ? name : name + "/", 0, null);
        }

        /**
         * Create a file entry.
         *
         * @param name its path, relative
         * @param size its size
         * @param content opens its content
         * @return the entry
         */
        public static Entry file(String name, long size, Content content) {
            return new Entry(name, size, content);
        }
    }

    /**
     * Start writing the archive in a background thread.
     *
     * @param entries the entries, parents before children
     * @param written counts the content bytes written so far
     * @return the archive; the caller closes it, which also stops the writer
     */
    public static InputStream stream(List<Entry> entries, AtomicLong written) {
        Pipe pipe = new Pipe(PIPE_CAPACITY);
        Thread writer = new Thread(() -> write(entries, pipe, written), "stateful-tar-writer");
        writer.setDaemon(true);
        writer.start();
        return pipe.source();
    }

    private static void write(List<Entry> entries, Pipe pipe, AtomicLong written) {
        try {
            OutputStream sink = pipe.sink();
            // closed below on success; on failure the pipe is failed instead, so the reader sees the error
            TarArchiveOutputStream tar = new TarArchiveOutputStream(sink, 1 << 16);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] buffer = new byte[1 << 16];
            for (Entry e : entries) {
                TarArchiveEntry entry = new TarArchiveEntry(e.name());
                if (e.content() == null) {
                    entry.setMode(040755);
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                    continue;
                }
                entry.setSize(e.size());
                entry.setMode(0100644);
                tar.putArchiveEntry(entry);
                long left = e.size();
                try (InputStream in = e.content().open()) {
                    int n;
                    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                        tar.write(buffer, 0, n);
                        left -= n;
                        written.addAndGet(n);
                    }
                }
                if (left != 0) {
                    throw new IOException(e.name() + " ended " + left + " bytes early: it changed while being copied");
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
            tar.close();
        } catch (IOException | UncheckedIOException | SecurityException e) {
            pipe.fail(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }
}
