package dev.stateful;

import dev.stateful.error.DumpException;
import dev.stateful.error.StatefulException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.snapshot.BackupKind;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy into the container that fails half way (a truncated dump, a truncated volume backup)
 * leaves no thread of Stateful's, or of the Docker client's streams, running.
 */
@StartedHandles
class FailedCopyThreadsTest {
    @Started(nameHint = "FailedCopyThreads")
    static StatefulPostgres db;

    @Test
    void aTruncatedGzippedDumpFailsAndLeavesNoCopyThread(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole.sql.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
            out.write("CREATE TABLE t (id int, note text);\n".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 200_000; i++) {
                out.write(("INSERT INTO t VALUES (" + i + ", '" + Integer.toHexString(i * 7919) + "');\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        Path truncated = truncate(whole, dir.resolve("truncated.sql.gz"));
        Set<Thread> before = copyThreads();

        assertThatThrownBy(() -> db.restoreDump(truncated)).isInstanceOf(DumpException.class);

        assertNoNewCopyThreads(before);
        assertThat(db.isRunning()).isTrue();
    }

    @Test
    void aTruncatedVolumeBackupFailsAndLeavesNoCopyThread(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("data.tar");
        db.backups().backup(BackupKind.VOLUME, whole);
        Path truncated = truncate(whole, dir.resolve("truncated.tar"));
        Set<Thread> before = copyThreads();

        assertThatThrownBy(() -> db.backups().restore(truncated)).isInstanceOf(StatefulException.class);

        assertNoNewCopyThreads(before);
    }

    private static Path truncate(Path whole, Path target) throws Exception {
        byte[] bytes = Files.readAllBytes(whole);
        return Files.write(target, Arrays.copyOf(bytes, bytes.length / 2));
    }

    private static Set<Thread> copyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("stateful-tar") || t.getName().startsWith("stateful-volume")
                        || t.getName().startsWith("docker-java-stream"))
                .collect(Collectors.toCollection(HashSet::new));
    }

    /** Threads end promptly once the failure is reported; poll a few seconds rather than sleep. */
    private static void assertNoNewCopyThreads(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<Thread> left;
        do {
            left = copyThreads();
            left.removeAll(before);
            left.removeIf(t -> !t.isAlive());
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(left.stream().map(Thread::getName).toList()).as("threads still running after the failed copy").isEmpty();
    }
}
