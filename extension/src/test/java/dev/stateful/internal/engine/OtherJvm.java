package dev.stateful.internal.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A second JVM running {@link VolumeHolder} on this test classpath, with the same Docker environment. */
final class OtherJvm implements AutoCloseable {
    final Process process;
    final String volume;
    final String container;

    private OtherJvm(Process process, String volume, String container) {
        this.process = process;
        this.volume = volume;
        this.container = container;
    }

    static OtherJvm start(String... args) throws Exception {
        return startMain(VolumeHolder.class.getName(), args);
    }

    /** Start another main class that prints {@code READY <volume> <container>} the same way. */
    static OtherJvm startMain(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("READY ")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the other JVM did not start a handle within 180 s", e);
        }
        if (line == null) {
            throw new AssertionError("the other JVM ended without starting a handle (exit " + process.waitFor() + ")");
        }
        // Keep draining its output so that it never blocks on a full pipe.
        CompletableFuture.runAsync(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // ended
            }
        });
        String[] parts = line.split(" ");
        return new OtherJvm(process, parts[1], parts[2]);
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
