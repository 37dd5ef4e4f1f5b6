package dev.stateful.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class StreamingTarTest {
    @Test
    void entriesStreamThroughWithTheirContent() throws IOException {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(big);
        AtomicLong written = new AtomicLong();
        List<StreamingTar.Entry> entries = List.of(StreamingTar.Entry.directory("stateful-restore-1"),
                StreamingTar.Entry.file("stateful-restore-1/dump.dump", big.length, () -> new ByteArrayInputStream(big)),
                StreamingTar.Entry.file("stateful-restore-1/small.sql", 3,
                        () -> new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8))));

        Map<String, byte[]> read = new LinkedHashMap<>();
        try (InputStream in = StreamingTar.stream(entries, written); TarArchiveInputStream tar =
                new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                read.put(e.getName() + (e.isDirectory() ? "" : ":" + Integer.toOctalString(e.getMode() & 0777)),
                        tar.readAllBytes());
            }
        }

        assertThat(read.keySet()).containsExactly("stateful-restore-1/", "stateful-restore-1/dump.dump:644",
                "stateful-restore-1/small.sql:644");
        assertThat(read.get("stateful-restore-1/dump.dump:644")).isEqualTo(big);
        assertThat(written.get()).isEqualTo(big.length + 3L);
    }

    @Test
    void aWriterFailureReachesTheReaderInsteadOfAnEarlyEnd() {
        List<StreamingTar.Entry> entries = List.of(StreamingTar.Entry.file("x", 100,
                () -> new ByteArrayInputStream(new byte[10])));

        assertThatThrownBy(() -> {
            try (InputStream in = StreamingTar.stream(entries, new AtomicLong())) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("x ended 90 bytes early");
    }

    @Test
    void closingTheReaderReleasesABlockedWriter() throws Exception {
        Pipe pipe = new Pipe(4);
        CompletableFuture<Throwable> writer = CompletableFuture.supplyAsync(() -> {
            try (OutputStream out = pipe.sink()) {
                out.write(new byte[100]);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        assertThat(pipe.source().read(new byte[2])).isEqualTo(2);
        pipe.source().close();

        assertThat(writer.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessageContaining("reading side of the pipe is closed");
    }

    @Test
    void aPipeHandsOverDataAcrossAnyThreads() throws Exception {
        Pipe pipe = new Pipe(7);
        byte[] data = new byte[100_000];
        new Random(2).nextBytes(data);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = pipe.sink()) {
                for (int i = 0; i < data.length; i += 333) {
                    out.write(data, i, Math.min(333, data.length - i));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        byte[] read = pipe.source().readAllBytes();
        writer.get(10, TimeUnit.SECONDS);

        assertThat(read).isEqualTo(data);
        assertThat(pipe.source().read()).isEqualTo(-1);
    }
}
