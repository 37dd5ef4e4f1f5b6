package dev.stateful.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's reference registry ({@code docker-registry} 2.8), started on 127.0.0.1 on a free port
 * with a temporary configuration and storage directory, stopped and removed on close. The engine
 * accepts 127.0.0.0/8 registries over HTTP by default.
 */
public final class LocalRegistry implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");
    private final Path dir;
    private final Process process;
    private final int port;

    private LocalRegistry(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /**
     * Start a registry and wait (at most 30 s) until it answers.
     *
     * @return the running registry
     * @throws Exception when it does not start
     */
    public static LocalRegistry start() throws Exception {
        return start(null, null);
    }

    /**
     * Start a registry that asks for a user and password (htpasswd, bcrypt by Debian's
     * {@code htpasswd -B} from apache2-utils) and wait until it answers.
     *
     * @param user the user
     * @param password the password
     * @return the running registry
     * @throws Exception when it does not start
     */
    public static LocalRegistry startWithPassword(String user, String password) throws Exception {
        return start(user, password);
    }

    private static LocalRegistry start(String user, String password) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "docker-registry is not installed "
                + "(scripts/docker/ensure-docker.sh installs it)");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("stateful-registry-");
        Path config = dir.resolve("config.yml");
        String auth = "";
        if (user != null) {
            Assumptions.assumeTrue(Files.isExecutable(HTPASSWD), "htpasswd is not installed (apt-get install apache2-utils)");
            Process htpasswd = new ProcessBuilder(HTPASSWD.toString(), "-B", "-b", "-c",
                    dir.resolve("htpasswd").toString(), user, password).redirectErrorStream(true).start();
            String out = new String(htpasswd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (htpasswd.waitFor() != 0) {
                throw new IllegalStateException("htpasswd failed: " + out);
            }
            auth = "auth:\n  htpasswd:\n    realm: stateful-test\n    path: " + dir.resolve("htpasswd") + "\n";
        }
        Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                + dir.resolve("data") + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port + "\n" + auth);
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(dir, process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL()
                        .openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(1000);
                if (c.getResponseCode() == 200 || (user != null && c.getResponseCode() == 401)) {
                    return registry;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("registry.log"));
                registry.close();
                throw new IllegalStateException("docker-registry did not answer on 127.0.0.1:" + port + ":\n" + log);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Return the file the registry keeps a blob in (its filesystem storage), for tests that damage one.
     *
     * @param digest such as {@code sha256:…}
     * @return the blob's data file
     */
    public Path blob(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return dir.resolve("data/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    /**
     * Return the registry's host and port.
     *
     * @return {@code 127.0.0.1:<port>}
     */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * Return a repository on this registry.
     *
     * @param name such as {@code acme/stateful-cache}
     * @return {@code 127.0.0.1:<port>/<name>}
     */
    public String repository(String name) {
        return "127.0.0.1:" + port + "/" + name;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
