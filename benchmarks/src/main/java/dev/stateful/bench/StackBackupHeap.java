package dev.stateful.bench;

import dev.stateful.StatefulSettings;
import dev.stateful.stack.ExecResult;
import dev.stateful.stack.StackFingerprint;
import dev.stateful.stack.StatefulStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A stack backup and restore of a big {@code uploads} volume in a small heap: run with
 * {@code -Xmx64m} (profile {@code bench-stack-heap}); prints the sizes, the times and the peak heap
 * of each, and fails when the restored volume differs from the original.
 *
 * <p>{@code mvn -B -pl benchmarks -am verify -Pbench-stack-heap -DskipTests -Dstackheap.args="--mb 1024"}
 */
public final class StackBackupHeap {
    private StackBackupHeap() {
    }

    /**
     * Run the check.
     *
     * @param args {@code --mb N} (default 1024), {@code --out DIR} (ignored: the result is printed)
     * @throws Exception when a step fails
     */
    public static void main(String[] args) throws Exception {
        int mb = 1024;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--mb")) {
                mb = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--out")) {
                i++;
            }
        }
        Path dir = Files.createTempDirectory("stateful-stack-heap");
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, String.join("\n",
                "services:",
                "  files:",
                "    image: " + StatefulSettings.defaultImage(),
                "    entrypoint: [\"sh\", \"-c\", \"trap 'exit 0' TERM; sleep infinity & wait\"]",
                "    volumes: [\"uploads:/srv/uploads\"]",
                "volumes:",
                "  uploads:",
                ""));
        try (StatefulStack stack = StatefulStack.fromCompose(compose).nameHint("heap").start()) {
            ExecResult fill = stack.service("files").exec("dd", "if=/dev/urandom", "of=/srv/uploads/big.bin", "bs=1M",
                    "count=" + mb);
            if (fill.exitCode() != 0) {
                throw new IllegalStateException("dd failed: " + fill.stderr());
            }
            StackFingerprint before = stack.fingerprint();
            HeapPeak heap = new HeapPeak();
            heap.start();
            long t = System.nanoTime();
            Path backup = stack.backup(dir.resolve("backup"));
            long backupMs = (System.nanoTime() - t) / 1_000_000;
            heap.stop();
            long backupHeap = heap.peakBytes();
            stack.service("files").exec("rm", "/srv/uploads/big.bin");
            heap.start();
            t = System.nanoTime();
            stack.restoreBackup(backup);
            long restoreMs = (System.nanoTime() - t) / 1_000_000;
            heap.stop();
            boolean same = before.diff(stack.fingerprint()).isEmpty();
            System.out.println(String.format(Locale.ROOT, "uploads volume of %d MB, max heap %d MB: backup %d ms (peak heap "
                    + "%d MiB), restore %d ms (peak heap %d MiB), restored identical: %s", mb,
                    Runtime.getRuntime().maxMemory() / 1_000_000, backupMs, backupHeap >> 20, restoreMs,
                    heap.peakBytes() >> 20, same));
            if (!same) {
                throw new IllegalStateException("the restored volume differs");
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
