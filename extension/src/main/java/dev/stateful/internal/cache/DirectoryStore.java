package dev.stateful.internal.cache;

import dev.stateful.error.EngineException;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.engine.ImageInfo;
import dev.stateful.internal.engine.Labels;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Export cache entries into a directory and import them from it. The data never passes through
 * the JVM's heap: a helper container of the entry's image tars and compresses the volume on its
 * standard output, which is streamed to a temporary file that is renamed into place atomically
 * when complete (two writers of one key leave one complete archive); an import checks the whole
 * archive first and then streams its compressed data into a helper container through the Docker
 * archive API, which unpacks it into the volume.
 */
public final class DirectoryStore {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryStore.class);
    private static final long PROGRESS_BYTES = 256L << 20;

    /** How an archive's tar is compressed: the engine's archive API unpacks both. */
    public enum Compression {
        /** {@code gzip -1}: about a quarter of the size, a core's worth of CPU on both ends. */
        GZIP_1("tar+gzip -1", List.of("-I", "gzip -1")),
        /** None: the data directory's size, no CPU to unpack. */
        NONE("tar", List.of());

        private final String manifestName;
        private final List<String> tarOptions;

        Compression(String manifestName, List<String> tarOptions) {
            this.manifestName = manifestName;
            this.tarOptions = tarOptions;
        }

        /** @return the name the manifest records */
        public String manifestName() {
            return manifestName;
        }
    }

    private final DockerEngine engine;
    private final Path directory;
    private final Compression compression;

    /**
     * Create a store over a directory (created when needed).
     *
     * @param engine the engine
     * @param directory the directory
     */
    public DirectoryStore(DockerEngine engine, Path directory) {
        this(engine, directory, Compression.GZIP_1);
    }

    /**
     * Create a store over a directory (created when needed) that writes archives compressed so.
     *
     * @param engine the engine
     * @param directory the directory
     * @param compression how exports compress (imports read any)
     */
    public DirectoryStore(DockerEngine engine, Path directory, Compression compression) {
        this.engine = engine;
        this.directory = directory;
        this.compression = compression;
    }

    /** @return the engine */
    public DockerEngine engine() {
        return engine;
    }

    /** @return the directory */
    public Path directory() {
        return directory;
    }

    /** @return the archive file of a key (it may not exist) */
    public Path fileOf(String key) {
        return directory.resolve(CacheArchive.fileName(key));
    }

    /**
     * Write a volume as the archive of a key, replacing any archive of that key atomically.
     *
     * @param image the image to run the helper of (the one the state was built with)
     * @param volume the volume, not in use by a running server
     * @param key the cache key
     * @param inputs the key's named parts, for the manifest
     * @return the manifest written
     */
    public CacheManifest export(String image, String volume, String key, Map<String, String> inputs) {
        long started = System.nanoTime();
        Path target = fileOf(key);
        Path temp = directory.resolve(CacheArchive.fileName(key) + "." + VolumeNames.randomHex(6) + ".tmp");
        String helper = null;
        try {
            Files.createDirectories(directory);
            ImageInfo info = engine.image(image);
            helper = engine.createHelper(image, Map.of(volume, "/from"), Labels.forNewResource(true));
            engine.start(helper);
            long dataBytes = dataBytes(helper);
            String pgVersion = postgresVersion(helper);
            List<String> tarOut = new ArrayList<>(List.of("tar", "-C", "/from"));
            tarOut.addAll(compression.tarOptions);
            List<String> wal = WalSegments.notNeeded(engine, helper, "/from");
            if (!wal.isEmpty()) {
                tarOut.add("--anchored");
                wal.forEach(segment -> tarOut.add("--exclude=./" + segment));
            }
            tarOut.addAll(List.of("-cf", "-", "."));
            CacheManifest provisional = new CacheManifest(key, Instant.now().toString(), image, info.id(), pgVersion,
                    compression.manifestName, dataBytes, Long.MAX_VALUE, "0".repeat(64), inputs);
            int headerBytes = CacheArchive.headerLength(provisional);
            MessageDigest digest = CacheArchive.sha256();
            long archiveBytes;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.position(headerBytes);
                Counting counting = new Counting(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16),
                        "Exporting cache entry " + key.substring(0, 12) + " to " + target.getFileName());
                try (OutputStream out = new DigestOutputStream(counting, digest)) {
                    ExecResult tar = engine.exec(helper, "root", tarOut, out);
                    if (!tar.succeeded()) {
                        throw new EngineException("cannot archive volume '" + volume + "': tar exited with "
                                + tar.exitCode() + ":\n" + tar.stderrTail(10));
                    }
                }
                archiveBytes = counting.count;
                CacheManifest manifest = new CacheManifest(key, provisional.created(), image, info.id(), pgVersion,
                        compression.manifestName, dataBytes, archiveBytes, HexFormat.of().formatHex(digest.digest()),
                        inputs);
                writeFully(channel, ByteBuffer.wrap(CacheArchive.header(manifest, headerBytes)), 0);
                channel.force(true);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.info("Exported cache entry {} ({} MB of data, {} MB {}) to {} in {} ms", key.substring(0, 12),
                        dataBytes / 1_000_000, archiveBytes / 1_000_000, compression.manifestName, target,
                        (System.nanoTime() - started) / 1_000_000);
                return manifest;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write cache archive " + target + ": " + e.getMessage(), e);
        } finally {
            if (helper != null) {
                engine.removeContainer(helper);
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.warn("cannot remove temporary file {}: {}", temp, e.toString());
            }
        }
    }

    /**
     * Check the archive of a key and, when it is good, unpack it into a volume (which must exist
     * and be empty). The file is read once: its header and length are checked first, the
     * checksum of its data while the data streams into the engine. A missing archive leaves the
     * volume untouched; a bad one is reported as such and what was unpacked must be discarded
     * (the caller removes the volume), so a bad entry is never used.
     *
     * @param image the image to run the helper of
     * @param volume the target volume
     * @param key the cache key
     * @return the check, or empty when there is no archive of the key
     */
    public Optional<CacheArchive.Check> importInto(String image, String volume, String key) {
        Path file = fileOf(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CacheArchive.Check header = CacheArchive.checkHeader(channel, file, key);
            if (!header.good()) {
                LOG.warn("Cache archive {} is not used: {}; the state is built instead", file, header.reason());
                return Optional.of(header);
            }
            MessageDigest digest = CacheArchive.sha256();
            RuntimeException failure = null;
            String helper = engine.createHelper(image, Map.of(volume, "/to"), Labels.forNewResource(true));
            try (InputStream data = new DigestInputStream(new Progress(CacheArchive.data(channel, header),
                    "Importing cache entry " + key.substring(0, 12) + " into " + volume,
                    header.manifest().archiveBytes()), digest)) {
                try {
                    engine.copyToContainer(helper, data, "/to");
                } catch (RuntimeException e) {
                    failure = e; // damaged data fails the unpacking: the checksum below tells
                }
                data.transferTo(OutputStream.nullOutputStream()); // whatever the engine left unread
            } finally {
                engine.removeContainer(helper);
            }
            CacheArchive.Check check = CacheArchive.verify(header, HexFormat.of().formatHex(digest.digest()));
            if (!check.good()) {
                LOG.warn("Cache archive {} is not used: {}; what was unpacked is discarded and the state is built "
                        + "instead", file, check.reason());
                return Optional.of(check);
            }
            if (failure != null) {
                throw failure;
            }
            LOG.info("Imported cache entry {} ({} MB {}) from {} into {} in {} ms, checked while streaming",
                    key.substring(0, 12), check.manifest().archiveBytes() / 1_000_000, check.manifest().compression(),
                    file, volume, (System.nanoTime() - started) / 1_000_000);
            return Optional.of(check);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache archive " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Check every archive of the directory.
     *
     * @return one check per {@code *.stateful-cache} file, in name order
     */
    public List<CacheArchive.Check> list() {
        List<CacheArchive.Check> checks = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return checks;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(CacheArchive.SUFFIX)).sorted().toList()) {
                String name = file.getFileName().toString();
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    checks.add(CacheArchive.check(channel, file, name.substring(0, name.length() - CacheArchive.SUFFIX.length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list cache directory " + directory + ": " + e.getMessage(), e);
        }
        return checks;
    }

    private long dataBytes(String helper) {
        ExecResult du = engine.exec(helper, "root", List.of("du", "-sb", "/from"));
        try {
            return Long.parseLong(du.stdoutText().strip().split("\\s+")[0]);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private String postgresVersion(String helper) {
        ExecResult found = engine.exec(helper, "root", List.of("find", "/from", "-maxdepth", "2", "-name", "PG_VERSION",
                "-exec", "cat", "{}", "+"));
        String out = found.stdoutText().strip();
        return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse("unknown");
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        for (long at = position; buffer.hasRemaining(); ) {
            at += channel.write(buffer, at);
        }
    }

    /**
     * Counts the bytes written through it and logs progress every {@value #PROGRESS_BYTES} bytes;
     * closing it flushes but leaves the file open for the header.
     */
    private static final class Counting extends FilterOutputStream {
        private final String what;
        long count;

        Counting(OutputStream out, String what) {
            super(out);
            this.what = what;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            advance(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            advance(len);
        }

        private void advance(int n) {
            if ((count + n) / PROGRESS_BYTES > count / PROGRESS_BYTES) {
                LOG.info("{}: {} MB written", what, (count + n) / 1_000_000);
            }
            count += n;
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }


    /** Logs progress of a stream being read every {@value #PROGRESS_BYTES} bytes. */
    private static final class Progress extends java.io.FilterInputStream {
        private final String what;
        private final long total;
        private long count;

        Progress(InputStream in, String what, long total) {
            super(in);
            this.what = what;
            this.total = total;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(int n) {
            if ((count + n) / PROGRESS_BYTES > count / PROGRESS_BYTES) {
                LOG.info("{}: {} of {} MB", what, (count + n) / 1_000_000, total / 1_000_000);
            }
            count += n;
        }
    }
}
