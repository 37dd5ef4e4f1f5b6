package dev.stateful.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's one-minute load average, read where Linux publishes it, so a result says how busy
 * the machine was instead of guessing.
 */
final class LoadAverage {
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private LoadAverage() {
    }

    /**
     * The one-minute load average now.
     *
     * @return for example {@code "1.95"}, or {@code "unknown"} where the system does not publish it
     */
    static String now() {
        try {
            return Files.readString(LOADAVG).strip().split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
