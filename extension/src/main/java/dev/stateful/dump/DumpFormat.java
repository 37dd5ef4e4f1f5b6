package dev.stateful.dump;

import dev.stateful.error.DumpException;
import dev.stateful.internal.pg.DumpFileMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Name the formats of {@code pg_dump} and tell them apart by content, never by file name.
 *
 * <ul>
 *   <li>{@link #CUSTOM} ({@code pg_dump -Fc}): a file starting with {@code PGDMP};</li>
 *   <li>{@link #DIRECTORY} ({@code pg_dump -Fd}): a directory holding {@code toc.dat};</li>
 *   <li>{@link #TAR} ({@code pg_dump -Ft}): a ustar archive whose first entry is
 *       {@code toc.dat};</li>
 *   <li>{@link #PLAIN} ({@code pg_dump -Fp}): SQL text.</li>
 * </ul>
 * Any file format may also be gzipped (it starts with {@code 1f 8b}); the content inside is
 * detected the same way.
 */
public enum DumpFormat {
    /** {@code pg_dump -Fc}: restored with {@code pg_restore}, in parallel. */
    CUSTOM("custom", "pg_dump -Fc"),
    /** {@code pg_dump -Fd}: restored with {@code pg_restore}, in parallel. */
    DIRECTORY("directory", "pg_dump -Fd"),
    /** {@code pg_dump -Ft}: restored with {@code pg_restore}, one job. */
    TAR("tar", "pg_dump -Ft"),
    /** {@code pg_dump -Fp}: SQL text, run with {@code psql}. */
    PLAIN("plain SQL", "pg_dump -Fp");

    /** How many leading bytes detection looks at. */
    public static final int HEAD_SIZE = 8192;

    private static final byte[] CUSTOM_MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USTAR_MAGIC = "ustar".getBytes(StandardCharsets.US_ASCII);
    private static final int USTAR_MAGIC_OFFSET = 257;

    private final String label;
    private final String tool;

    DumpFormat(String label, String tool) {
        this.label = label;
        this.tool = tool;
    }

    /**
     * Return a readable name, such as {@code custom}.
     *
     * @return the name
     */
    public String label() {
        return label;
    }

    /**
     * Return the {@code pg_dump} call that writes this format.
     *
     * @return such as {@code pg_dump -Fc}
     */
    public String tool() {
        return tool;
    }

    /**
     * Tell whether {@code pg_restore} can restore this format with several jobs.
     *
     * @return {@code true} for custom and directory
     */
    public boolean parallel() {
        return this == CUSTOM || this == DIRECTORY;
    }

    /**
     * The outcome of detection: the format and whether the file is gzipped.
     *
     * @param format the dump's format
     * @param gzipped whether the file is gzip data around the dump
     */
    public record Detected(DumpFormat format, boolean gzipped) {
        @Override
        public String toString() {
            return format.label() + (gzipped ? ", gzipped" : "");
        }
    }

    /**
     * Detect the format of a dump file or directory from its content.
     *
     * @param path a file or directory
     * @return the format
     * @throws DumpException when it is missing, empty, or not a dump
     */
    public static Detected detect(Path path) {
        if (!Files.exists(path)) {
            throw new DumpException(DumpFileMessages.missing(path.toString(), path));
        }
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve("toc.dat"))) {
                throw new DumpException(DumpFileMessages.directoryWithoutToc(path));
            }
            return new Detected(DIRECTORY, false);
        }
        byte[] head = head(path);
        if (head.length == 0) {
            throw new DumpException(DumpFileMessages.empty(path));
        }
        if (isGzip(head)) {
            byte[] inner = gunzipHead(path);
            if (inner.length == 0) {
                throw new DumpException(DumpFileMessages.empty(path));
            }
            return new Detected(ofContent(inner).orElseThrow(() -> unknown(path, inner, true)), true);
        }
        return new Detected(ofContent(head).orElseThrow(() -> unknown(path, head, false)), false);
    }

    private static DumpException unknown(Path path, byte[] head, boolean gzipped) {
        if (isTar(head)) {
            return new DumpException(DumpFileMessages.foreignTar(path, tarEntryName(head)));
        }
        return new DumpException(DumpFileMessages.unknownFormat(path, hex(head, 16), gzipped));
    }

    /**
     * Detect the format of a file's first bytes (not gzipped).
     *
     * @param head the first bytes, up to {@link #HEAD_SIZE}
     * @return {@link #CUSTOM}, {@link #TAR} or {@link #PLAIN}; empty when none fits
     */
    public static Optional<DumpFormat> ofContent(byte[] head) {
        if (startsWith(head, CUSTOM_MAGIC)) {
            return Optional.of(CUSTOM);
        }
        if (isTar(head)) {
            return "toc.dat".equals(tarEntryName(head)) ? Optional.of(TAR) : Optional.empty();
        }
        if (head.length > 0 && isText(head)) {
            return Optional.of(PLAIN);
        }
        return Optional.empty();
    }

    /**
     * Tell whether bytes start like gzip data.
     *
     * @param head the first bytes
     * @return {@code true} for {@code 1f 8b}
     */
    public static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    static boolean isTar(byte[] head) {
        return head.length >= 512 && Arrays.equals(head, USTAR_MAGIC_OFFSET, USTAR_MAGIC_OFFSET + USTAR_MAGIC.length,
                USTAR_MAGIC, 0, USTAR_MAGIC.length);
    }

    static String tarEntryName(byte[] head) {
        int end = 0;
        while (end < 100 && head[end] != 0) {
            end++;
        }
        return new String(head, 0, end, StandardCharsets.UTF_8);
    }

    /** SQL text: no NUL bytes and almost no control characters other than whitespace. */
    static boolean isText(byte[] head) {
        int control = 0;
        for (byte b : head) {
            int c = b & 0xff;
            if (c == 0) {
                return false;
            }
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                control++;
            }
        }
        return control * 100 <= head.length;
    }

    private static boolean startsWith(byte[] head, byte[] prefix) {
        return head.length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
    }

    static String hex(byte[] head, int max) {
        byte[] part = Arrays.copyOf(head, Math.min(max, head.length));
        return HexFormat.ofDelimiter(" ").formatHex(part);
    }

    private static byte[] head(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(HEAD_SIZE);
        } catch (IOException e) {
            throw new DumpException(DumpFileMessages.unreadable(path, e), e);
        }
    }

    private static byte[] gunzipHead(Path path) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            return in.readNBytes(HEAD_SIZE);
        } catch (IOException e) {
            throw new DumpException(DumpFileMessages.corruptGzip(path, e), e);
        }
    }
}
