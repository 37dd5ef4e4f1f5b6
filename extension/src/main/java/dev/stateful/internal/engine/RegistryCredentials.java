package dev.stateful.internal.engine;

import com.github.dockerjava.api.model.AuthConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.testcontainers.shaded.com.fasterxml.jackson.databind.JsonNode;
import org.testcontainers.shaded.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Registry credentials from the Docker CLI's own configuration, as {@code docker login} writes
 * it: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}; an {@code auths}
 * entry of the registry's host, or its credential helper ({@code credHelpers}, {@code credsStore},
 * run as {@code docker-credential-<name> get}). Stateful has no setting for them, and never logs
 * or prints a secret: {@link #toString()} of what it returns is not used in messages.
 */
final class RegistryCredentials {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryCredentials() {
    }

    /** Return the directory of the Docker CLI's configuration: {@code DOCKER_CONFIG}, else {@code ~/.docker}. */
    static Path defaultDirectory() {
        String env = System.getenv("DOCKER_CONFIG");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".docker");
    }

    /** Return the registry host of a repository such as {@code localhost:5000/acme/cache}. */
    static String host(String repository) {
        int slash = repository.indexOf('/');
        String first = slash < 0 ? "" : repository.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
    }

    /**
     * Look up the credentials of a repository's registry.
     *
     * @param directory the configuration directory
     * @param repository the repository
     * @return the credentials, or empty when the configuration has none for its host
     */
    static Optional<AuthConfig> lookup(Path directory, String repository) {
        String host = host(repository);
        Path file = directory.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new dev.stateful.error.EngineException("cannot read the Docker configuration " + file
                    + ": it is not valid JSON. Fix: repair it, or log in again with 'docker login " + host + "'.");
        }
        JsonNode helper = config.path("credHelpers").path(host);
        if (helper.isTextual()) {
            return fromHelper(helper.asText(), host);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = config.path("auths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!hostOf(entry.getKey()).equals(host)) {
                continue;
            }
            JsonNode auth = entry.getValue();
            String user = auth.path("username").asText("");
            String password = auth.path("password").asText("");
            if (auth.path("auth").isTextual() && !auth.path("auth").asText().isEmpty()) {
                String decoded = new String(Base64.getDecoder().decode(auth.path("auth").asText().strip()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    user = decoded.substring(0, colon);
                    password = decoded.substring(colon + 1);
                }
            }
            if (!user.isEmpty()) {
                return Optional.of(new AuthConfig().withUsername(user).withPassword(password)
                        .withRegistryAddress(host));
            }
        }
        if (config.path("credsStore").isTextual()) {
            return fromHelper(config.path("credsStore").asText(), host);
        }
        return Optional.empty();
    }

    private static String hostOf(String key) {
        String host = key.replaceFirst("^[a-z]+://", "");
        int slash = host.indexOf('/');
        host = slash < 0 ? host : host.substring(0, slash);
        return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? "docker.io" : host;
    }

    private static Optional<AuthConfig> fromHelper(String name, String host) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder("docker-credential-" + name, "get").redirectErrorStream(false).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(host.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out;
            try (InputStream stdout = process.getInputStream()) {
                out = stdout.readAllBytes();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            JsonNode found = JSON.readTree(out);
            String user = found.path("Username").asText("");
            String secret = found.path("Secret").asText("");
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(user.equals("<token>")
                    ? new AuthConfig().withIdentityToken(secret).withRegistryAddress(host)
                    : new AuthConfig().withUsername(user).withPassword(secret).withRegistryAddress(host));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
