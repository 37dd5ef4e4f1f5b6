package dev.stateful.internal.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file format of an exported cache entry, {@code <key>.stateful-cache}: a header, then the
 * volume's content as a tar, gzip-compressed or not (the manifest's {@code compression}).
 *
 * <p>The header is text, padded with newlines to a multiple of 4 KiB: a first line
 * {@code STATEFUL-CACHE-ARCHIVE 1 <header length, 10 digits>}, the manifest as {@code name=value}
 * lines, and {@code manifest-sha256=<hex>} over those lines. So
 * {@code tail -c +$((len + 1)) file | tar -xz} unpacks an archive by hand. {@link #check} reads a
 * file and tells whether it is a complete, undamaged archive of an expected key.
 */
public final class CacheArchive {
    /** The file name suffix of an archive. */
    public static final String SUFFIX = ".stateful-cache";
    private static final String MAGIC = "STATEFUL-CACHE-ARCHIVE 1 ";
    private static final int FIRST_LINE = MAGIC.length() + 10 + 1;
    private static final int MAX_HEADER = 1 << 20;
    private static final String MANIFEST_SHA = "manifest-sha256";

    private CacheArchive() {
    }

    /** What a check found. */
    public enum Status {
        /** Complete and undamaged, of the expected key. */
        GOOD,
        /** Not a Stateful cache archive at all. */
        NOT_AN_ARCHIVE,
        /** A good archive of another key. */
        FOREIGN,
        /** Shorter than its manifest says. */
        TRUNCATED,
        /** Its manifest or data do not match their checksums. */
        DAMAGED
    }

    /**
     * The result of checking a file.
     *
     * @param file the file
     * @param status what was found
     * @param reason why it is not good, for logs; empty when good
     * @param manifest the manifest when it could be read, else {@code null}
     * @param headerBytes where the data starts
     */
    public record Check(Path file, Status status, String reason, CacheManifest manifest, long headerBytes) {
        /** @return whether the archive may be used */
        public boolean good() {
            return status == Status.GOOD;
        }
    }

    /** Return the name of the archive of a key. */
    public static String fileName(String key) {
        return key + SUFFIX;
    }

    /** Return how many header bytes a manifest like this one needs, with room for the sizes and checksum to come. */
    static int headerLength(CacheManifest provisional) {
        int text = FIRST_LINE + body(provisional).length + 512;
        return (text + 4095) / 4096 * 4096;
    }

    /** Return the header of a manifest, padded to {@code length}. */
    static byte[] header(CacheManifest manifest, int length) {
        byte[] body = body(manifest);
        byte[] sha = (MANIFEST_SHA + "=" + HexFormat.of().formatHex(sha256().digest(body)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] first = String.format("%s%010d\n", MAGIC, length).getBytes(StandardCharsets.UTF_8);
        if (first.length + body.length + sha.length > length) {
            throw new IllegalStateException("manifest of " + (body.length + sha.length) + " bytes does not fit " + length);
        }
        byte[] header = new byte[length];
        java.util.Arrays.fill(header, (byte) '\n');
        System.arraycopy(first, 0, header, 0, first.length);
        System.arraycopy(body, 0, header, first.length, body.length);
        System.arraycopy(sha, 0, header, first.length + body.length, sha.length);
        return header;
    }

    private static byte[] body(CacheManifest manifest) {
        StringBuilder text = new StringBuilder();
        manifest.fields().forEach((name, value) -> text.append(name).append('=').append(escape(value)).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Check an open archive: its header, its manifest's checksum, its key, its length and the
     * checksum of its data (which reads the whole file).
     *
     * @param channel the open file, read from position 0
     * @param file its path, for messages
     * @param expectedKey the key it must hold, or {@code null} to accept any
     * @return what was found
     * @throws IOException when the file cannot be read
     */
    public static Check check(FileChannel channel, Path file, String expectedKey) throws IOException {
        Check header = checkHeader(channel, file, expectedKey);
        if (!header.good()) {
            return header;
        }
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        for (long position = header.headerBytes(), size = channel.size(); position < size; ) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            buffer.flip();
            digest.update(buffer);
            position += n;
        }
        return verify(header, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * Return a good header check as it stands once the data's checksum is known.
     *
     * @param header a good check of the header and length
     * @param dataSha256 the SHA-256 of the data, in hex
     * @return the check, damaged when the checksum differs from the manifest's
     */
    public static Check verify(Check header, String dataSha256) {
        if (!dataSha256.equals(header.manifest().archiveSha256())) {
            return new Check(header.file(), Status.DAMAGED, "its data does not match the checksum of its manifest",
                    header.manifest(), header.headerBytes());
        }
        return header;
    }

    /**
     * Check an open archive without reading its data: its header, its manifest's checksum, its
     * key and its length. A good result still needs {@link #verify} over the data, which an
     * import computes while it streams the data (reading the file once).
     *
     * @param channel the open file, read from position 0
     * @param file its path, for messages
     * @param expectedKey the key it must hold, or {@code null} to accept any
     * @return what was found; {@code GOOD} means good so far
     * @throws IOException when the file cannot be read
     */
    public static Check checkHeader(FileChannel channel, Path file, String expectedKey) throws IOException {
        long size = channel.size();
        ByteBuffer first = ByteBuffer.allocate(FIRST_LINE);
        if (size < FIRST_LINE || readFully(channel, first, 0) < FIRST_LINE) {
            return new Check(file, Status.NOT_AN_ARCHIVE, "it is not a Stateful cache archive (too short)", null, 0);
        }
        String line = new String(first.array(), StandardCharsets.UTF_8);
        int headerBytes;
        try {
            if (!line.startsWith(MAGIC) || !line.endsWith("\n")) {
                throw new NumberFormatException();
            }
            headerBytes = Integer.parseInt(line.substring(MAGIC.length(), FIRST_LINE - 1));
        } catch (NumberFormatException e) {
            return new Check(file, Status.NOT_AN_ARCHIVE, "it is not a Stateful cache archive (no "
                    + MAGIC.strip() + " header)", null, 0);
        }
        if (headerBytes < FIRST_LINE || headerBytes > MAX_HEADER) {
            return new Check(file, Status.DAMAGED, "its header length " + headerBytes + " is impossible", null, 0);
        }
        if (size < headerBytes) {
            return new Check(file, Status.TRUNCATED, "it ends inside its header", null, headerBytes);
        }
        ByteBuffer header = ByteBuffer.allocate(headerBytes - FIRST_LINE);
        readFully(channel, header, FIRST_LINE);
        String text = new String(header.array(), StandardCharsets.UTF_8);
        int shaAt = text.indexOf(MANIFEST_SHA + "=");
        int shaEnd = shaAt < 0 ? -1 : text.indexOf('\n', shaAt);
        if (shaEnd < 0) {
            return new Check(file, Status.DAMAGED, "its manifest has no checksum", null, headerBytes);
        }
        String body = text.substring(0, shaAt);
        String expectedSha = text.substring(shaAt + MANIFEST_SHA.length() + 1, shaEnd);
        String actualSha = HexFormat.of().formatHex(sha256().digest(body.getBytes(StandardCharsets.UTF_8)));
        if (!actualSha.equals(expectedSha)) {
            return new Check(file, Status.DAMAGED, "its manifest does not match the manifest's checksum", null,
                    headerBytes);
        }
        CacheManifest manifest;
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : body.split("\n")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    fields.put(field.substring(0, eq), unescape(field.substring(eq + 1)));
                }
            }
            manifest = CacheManifest.of(fields);
        } catch (IllegalArgumentException e) {
            return new Check(file, Status.DAMAGED, "its manifest is unreadable: " + e.getMessage(), null, headerBytes);
        }
        if (expectedKey != null && !manifest.key().equals(expectedKey)) {
            return new Check(file, Status.FOREIGN, "it holds key " + manifest.key() + ", not " + expectedKey, manifest,
                    headerBytes);
        }
        long data = size - headerBytes;
        if (data != manifest.archiveBytes()) {
            return new Check(file, data < manifest.archiveBytes() ? Status.TRUNCATED : Status.DAMAGED, "it has "
                    + data + " bytes of data where its manifest says " + manifest.archiveBytes(), manifest, headerBytes);
        }
        return new Check(file, Status.GOOD, "", manifest, headerBytes);
    }

    /**
     * Return the compressed data of a checked archive as a stream (the caller closes the channel).
     *
     * @param channel the open file
     * @param check a good check of it
     * @return the data, a tar (compressed as the manifest says)
     * @throws IOException when the file cannot be read
     */
    public static InputStream data(FileChannel channel, Check check) throws IOException {
        channel.position(check.headerBytes());
        InputStream in = Channels.newInputStream(channel);
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // the channel belongs to the caller
            }
        };
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static String escape(String value) {
        return String.valueOf(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char n = value.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
