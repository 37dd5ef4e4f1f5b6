package dev.stateful.dump;

import dev.stateful.error.DumpException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpFormatTest {
    private static final byte[] CUSTOM = bytes("PGDMP\u0001\u000f\u0000\u0004\u0008\u0001\u0001");
    private static final byte[] SQL = bytes("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n"
            + "INSERT INTO t VALUES ('Zoë', '山田');\n");

    @TempDir
    Path dir;

    @Test
    void theContentDecidesNotTheName() throws IOException {
        assertThat(DumpFormat.detect(write("a.sql", CUSTOM))).isEqualTo(new DumpFormat.Detected(DumpFormat.CUSTOM,
                false));
        assertThat(DumpFormat.detect(write("b.dump", SQL))).isEqualTo(new DumpFormat.Detected(DumpFormat.PLAIN,
                false));
        assertThat(DumpFormat.detect(write("c.sql", tar("toc.dat", CUSTOM)))).isEqualTo(
                new DumpFormat.Detected(DumpFormat.TAR, false));
        assertThat(DumpFormat.detect(write("d.dump", gzip(SQL)))).isEqualTo(
                new DumpFormat.Detected(DumpFormat.PLAIN, true));
        assertThat(DumpFormat.detect(write("e", gzip(CUSTOM)))).hasToString("custom, gzipped");
    }

    @Test
    void headsAreClassified() {
        assertThat(DumpFormat.ofContent(CUSTOM)).contains(DumpFormat.CUSTOM);
        assertThat(DumpFormat.ofContent(SQL)).contains(DumpFormat.PLAIN);
        assertThat(DumpFormat.ofContent(tar("toc.dat", CUSTOM))).contains(DumpFormat.TAR);
        assertThat(DumpFormat.ofContent(tar("data/", new byte[0]))).isEmpty();
        assertThat(DumpFormat.ofContent(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2})).isEmpty();
        assertThat(DumpFormat.ofContent(new byte[0])).isEmpty();
        assertThat(DumpFormat.isGzip(new byte[] {0x1f, (byte) 0x8b, 8})).isTrue();
        assertThat(DumpFormat.isGzip(new byte[] {0x1f})).isFalse();
    }

    @Test
    void aDirectoryWithTocIsADirectoryDump() throws IOException {
        Path dump = Files.createDirectory(dir.resolve("dump"));
        Files.write(dump.resolve("toc.dat"), CUSTOM);

        assertThat(DumpFormat.detect(dump).format()).isEqualTo(DumpFormat.DIRECTORY);
        assertThat(DumpFormat.DIRECTORY.parallel()).isTrue();
        assertThat(DumpFormat.TAR.parallel()).isFalse();
    }

    @Test
    void unusableDumpsAreRefusedWithTheReason() throws IOException {
        Path missing = dir.resolve("nope.dump");
        assertThatThrownBy(() -> DumpFormat.detect(missing)).isInstanceOf(DumpException.class)
                .hasMessageStartingWith("Dump '" + missing + "' does not exist (looked at " + missing + ")");
        Path empty = write("empty.dump", new byte[0]);
        assertThatThrownBy(() -> DumpFormat.detect(empty)).isInstanceOf(DumpException.class)
                .hasMessageStartingWith("Dump '" + empty + "' is empty (0 bytes of data).");
        Path emptyGzip = write("empty.sql.gz", gzip(new byte[0]));
        assertThatThrownBy(() -> DumpFormat.detect(emptyGzip)).hasMessageContaining("is empty");
        Path png = write("image.dump", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0});
        assertThatThrownBy(() -> DumpFormat.detect(png)).isInstanceOf(DumpException.class)
                .hasMessageStartingWith("Dump '" + png + "' has an unknown format: it starts with bytes "
                        + "89 50 4e 47 0d 0a 1a 0a 00 00, which is neither");
        byte[] gz = gzip(SQL);
        Path truncated = write("cut.sql.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> DumpFormat.detect(truncated)).isInstanceOf(DumpException.class)
                .hasMessageStartingWith("Dump '" + truncated + "' is gzip data that is truncated or corrupt");
        Path foreign = write("files.tar", tar("data/x.csv", bytes("1,2\n")));
        assertThatThrownBy(() -> DumpFormat.detect(foreign)).isInstanceOf(DumpException.class)
                .hasMessageContaining("is a tar archive but not one pg_dump -Ft wrote: its first entry is "
                        + "'data/x.csv', expected 'toc.dat'");
        Path noToc = Files.createDirectory(dir.resolve("notadump"));
        assertThatThrownBy(() -> DumpFormat.detect(noToc)).isInstanceOf(DumpException.class)
                .hasMessageStartingWith("Dump directory '" + noToc + "' holds no toc.dat");
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    static byte[] tar(String firstEntry, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry(firstEntry);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
