package dev.stateful.junit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine of the test's own: its own socket, data root, exec root (so its own
 * containerd), pid file and bridge, so that a test may restart an engine without touching the
 * one everybody else uses. Needs root and {@code dockerd}; {@link #start(Path)} skips the test
 * with an assumption otherwise.
 */
final class PrivateEngine implements AutoCloseable {
    private static final int DEADLINE_SECONDS = 60;
    private final Path dir;
    private final String bridge;
    private Process daemon;

    private PrivateEngine(Path dir, String bridge) {
        this.dir = dir;
        this.bridge = bridge;
    }

    /** Start a private engine whose state lives in {@code dir}, or skip the test when this machine cannot. */
    static PrivateEngine start(Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "a private dockerd needs root; skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dockerd")) || Files.isExecutable(Path.of("/usr/bin/dockerd")),
                "no dockerd binary to start a private engine; skipped");
        String bridge = "stfbr" + ProcessHandle.current().pid() % 100_000;
        assumeTrue(run("ip", "link", "add", bridge, "type", "bridge") == 0, "cannot create bridge " + bridge + "; skipped");
        PrivateEngine engine = new PrivateEngine(dir, bridge);
        try {
            run("ip", "addr", "add", "192.168.231.1/24", "dev", bridge);
            run("ip", "link", "set", bridge, "up");
            engine.startDaemon();
        } catch (RuntimeException | IOException e) {
            engine.close();
            assumeTrue(false, "the private dockerd did not start: " + e.getMessage());
        }
        return engine;
    }

    /** The {@code DOCKER_HOST} of this engine. */
    String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    /** Copy an image of the shared engine into this one ({@code docker save | docker load}, no shell). */
    void load(String image) throws Exception {
        Process save = new ProcessBuilder("docker", "save", image).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process load = new ProcessBuilder("docker", "-H", host(), "load").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (InputStream in = save.getInputStream(); OutputStream out = load.getOutputStream()) {
            in.transferTo(out);
        }
        if (!save.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS) || !load.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)
                || save.exitValue() != 0 || load.exitValue() != 0) {
            save.destroyForcibly();
            load.destroyForcibly();
            throw new IllegalStateException("could not copy image " + image + " into the private engine");
        }
    }

    /** Stop the engine as a host restart would (SIGTERM, its containers stop), then start it again. */
    void restart() throws Exception {
        stopDaemon();
        startDaemon();
    }

    private void startDaemon() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        daemon = new ProcessBuilder(List.of("dockerd", "--host", host(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString(),
                "--bridge", bridge, "--iptables=false", "--ip-forward=false", "--ip-masq=false"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (run("docker", "-H", host(), "version") != 0) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("dockerd did not answer within " + DEADLINE_SECONDS + " s; log: "
                        + Files.readString(dir.resolve("dockerd.log")).lines().reduce((a, b) -> b).orElse(""));
            }
            Thread.sleep(200);
        }
    }

    private void stopDaemon() throws InterruptedException {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            if (!daemon.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        try {
            stopDaemon(); // its containers stop with it; their files go with the directory
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            run("ip", "link", "del", bridge);
            run("rm", "-rf", dir.toString());
        }
    }

    private static int run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
