package dev.stateful.internal.engine;

import com.github.dockerjava.api.model.AuthConfig;
import dev.stateful.error.EngineException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.shaded.com.fasterxml.jackson.databind.JsonNode;
import org.testcontainers.shaded.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Read the top layer of an image straight from its registry (the distribution API v2), so that
 * its files can be unpacked where they are needed with one write, instead of a pull that unpacks
 * the image into the engine's store and a copy out of it. The layer streams, never through the
 * heap, and its SHA-256 is checked against the manifest's digest while it does. Credentials are
 * the Docker CLI's own, as for a push or pull through the engine ({@link RegistryCredentials});
 * basic and bearer-token challenges are answered; TLS is tried first, and plain HTTP only for a
 * registry on a loopback address. Anything this cannot do (a registry it cannot reach, an
 * identity token, a manifest list, a compression the engine cannot unpack) is reported as
 * {@link Status#UNAVAILABLE}, and the caller pulls through the engine instead.
 */
public final class RegistryLayers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST_TYPES = "application/vnd.docker.distribution.manifest.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json";
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([a-zA-Z]+)=\"([^\"]*)\"");
    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Path dockerConfig;
    private final Duration timeout;
    private final boolean engineIsLocal;

    RegistryLayers(Path dockerConfig, Duration timeout, boolean engineIsLocal) {
        this.dockerConfig = dockerConfig;
        this.timeout = timeout;
        this.engineIsLocal = engineIsLocal;
    }

    /** What a lookup found. */
    public enum Status {
        /** The registry answered: the tag is there, {@link Lookup#layer()} names its top layer. */
        PRESENT,
        /** The registry answered: no such tag. */
        ABSENT,
        /** The registry could not be read directly; pull through the engine. */
        UNAVAILABLE
    }

    /**
     * The top layer of a tag.
     *
     * @param repository the repository
     * @param digest its {@code sha256:…} digest
     * @param size its size in bytes, compressed
     * @param mediaType its media type
     * @param labels the image's labels
     */
    public record Layer(String repository, String digest, long size, String mediaType, Map<String, String> labels) {
    }

    /**
     * The result of a lookup.
     *
     * @param status what was found
     * @param layer the top layer when {@code PRESENT}
     * @param reason why it is {@code UNAVAILABLE}
     */
    public record Lookup(Status status, Layer layer, String reason) {
    }

    /**
     * Look up the top layer of {@code repository:tag}.
     *
     * @param repository such as {@code localhost:5000/acme/stateful-cache}
     * @param tag the tag
     * @return what the registry says
     */
    public Lookup find(String repository, String tag) {
        Optional<Session> session = session(repository);
        if (session.isEmpty()) {
            return new Lookup(Status.UNAVAILABLE, null, "the registry " + RegistryCredentials.host(repository)
                    + " cannot be reached from this process, or not over a protocol it may use");
        }
        Session s = session.get();
        try {
            HttpResponse<InputStream> manifest = s.get(s.url("manifests/" + tag), MANIFEST_TYPES);
            try (InputStream body = manifest.body()) {
                if (manifest.statusCode() == 404) {
                    return new Lookup(Status.ABSENT, null, null);
                }
                if (manifest.statusCode() != 200) {
                    return new Lookup(Status.UNAVAILABLE, null, "the manifest answered HTTP " + manifest.statusCode());
                }
                JsonNode json = JSON.readTree(body);
                JsonNode layers = json.path("layers");
                if (!layers.isArray() || layers.isEmpty() || !json.path("config").path("digest").isTextual()) {
                    return new Lookup(Status.UNAVAILABLE, null, "the manifest is not an image manifest with layers");
                }
                JsonNode top = layers.get(layers.size() - 1);
                String type = top.path("mediaType").asText("");
                if (!type.endsWith("tar.gzip") && !type.endsWith("tar+gzip") && !type.endsWith(".tar")) {
                    return new Lookup(Status.UNAVAILABLE, null, "the layer's media type " + type + " is not tar or gzip");
                }
                Map<String, String> labels = labels(s, json.path("config").path("digest").asText());
                return new Lookup(Status.PRESENT, new Layer(repository, top.path("digest").asText(),
                        top.path("size").asLong(-1), type, labels), null);
            }
        } catch (IOException e) {
            return new Lookup(Status.UNAVAILABLE, null, e.toString());
        }
    }

    private Map<String, String> labels(Session s, String configDigest) throws IOException {
        HttpResponse<InputStream> config = s.follow(s.get(s.url("blobs/" + configDigest), "*/*"));
        try (InputStream body = config.body()) {
            if (config.statusCode() != 200) {
                throw new IOException("the image configuration answered HTTP " + config.statusCode());
            }
            Map<String, String> labels = new LinkedHashMap<>();
            JSON.readTree(body).path("config").path("Labels").fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            return labels;
        }
    }

    /**
     * Stream a layer to a reader; its digest is checked once the reader has returned (it reads to
     * the end, what it leaves is read here).
     *
     * @param layer the layer {@link #find} returned
     * @param reader what reads the compressed layer, such as an unpack through the engine
     * @throws EngineException when the layer cannot be read or its digest does not match (what
     *     the reader wrote from it must then be discarded)
     */
    public void read(Layer layer, Consumer<InputStream> reader) {
        Session s = session(layer.repository()).orElseThrow(() -> new EngineException("cannot read layer "
                + layer.digest() + " of " + layer.repository() + ": the registry cannot be reached any more"));
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try {
            HttpResponse<InputStream> blob = s.follow(s.get(s.url("blobs/" + layer.digest()), "*/*"));
            try (InputStream in = new DigestInputStream(blob.body(), sha256)) {
                if (blob.statusCode() != 200) {
                    throw new EngineException("cannot read layer " + layer.digest() + " of " + layer.repository()
                            + ": HTTP " + blob.statusCode());
                }
                RuntimeException failure = null;
                try {
                    reader.accept(new FilterInputStream(in) {
                        @Override
                        public void close() {
                            // the reader (docker-java's upload) closes what it read; the rest is read below
                        }
                    });
                } catch (RuntimeException e) {
                    failure = e; // damaged data fails the unpacking: the digest below tells
                }
                in.transferTo(java.io.OutputStream.nullOutputStream());
                String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
                if (!actual.equals(layer.digest())) {
                    throw new EngineException("layer of " + layer.repository() + " is damaged: its content has digest "
                            + actual + ", expected " + layer.digest() + " (the manifest's)", failure);
                }
                if (failure != null) {
                    throw failure;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read layer " + layer.digest() + " of " + layer.repository()
                    + ": " + e.getMessage(), e);
        }
    }

    private Optional<Session> session(String repository) {
        String host = RegistryCredentials.host(repository);
        if (host.equals("docker.io")) {
            return Optional.empty(); // Docker Hub's API host differs from its name; the engine knows it
        }
        String name = repository.substring(host.length() + 1);
        Optional<AuthConfig> auth = RegistryCredentials.lookup(dockerConfig, repository);
        if (auth.isPresent() && auth.get().getIdentitytoken() != null) {
            return Optional.empty();
        }
        boolean loopback = isLoopback(host);
        if (loopback && !engineIsLocal) {
            return Optional.empty(); // the engine's loopback is not this process's
        }
        for (String scheme : loopback ? new String[] {"https", "http"} : new String[] {"https"}) {
            Session session = new Session(URI.create(scheme + "://" + host + "/v2/" + name + "/"), auth);
            try {
                HttpResponse<InputStream> ping = session.send(URI.create(scheme + "://" + host + "/v2/"), "*/*", null);
                ping.body().close();
                return Optional.of(session);
            } catch (IOException e) {
                // not this scheme
            }
        }
        return Optional.empty();
    }

    static boolean isLoopback(String host) {
        String bare = host.replaceFirst(":[0-9]+$", "");
        return bare.equals("localhost") || bare.startsWith("127.") || bare.equals("[::1]");
    }

    /** Requests to one repository, answering the registry's authentication challenge once. */
    private final class Session {
        private final URI base;
        private final Optional<AuthConfig> auth;
        private String authorization;

        Session(URI base, Optional<AuthConfig> auth) {
            this.base = base;
            this.auth = auth;
        }

        URI url(String path) {
            return base.resolve(path);
        }

        HttpResponse<InputStream> get(URI uri, String accept) throws IOException {
            HttpResponse<InputStream> response = send(uri, accept, authorization);
            if (response.statusCode() != 401) {
                return response;
            }
            response.body().close();
            authorization = answer(response.headers().firstValue("WWW-Authenticate").orElse(""));
            return send(uri, accept, authorization);
        }

        /** Follow a blob's redirect (to a storage service), without the registry's authorization. */
        HttpResponse<InputStream> follow(HttpResponse<InputStream> response) throws IOException {
            for (int hops = 0; hops < 5 && response.statusCode() / 100 == 3; hops++) {
                Optional<String> location = response.headers().firstValue("Location");
                response.body().close();
                if (location.isEmpty()) {
                    throw new IOException("a redirect without a location");
                }
                URI next = response.uri().resolve(location.get());
                boolean sameHost = next.getAuthority() != null && next.getAuthority().equals(base.getAuthority());
                response = send(next, "*/*", sameHost ? authorization : null);
            }
            return response;
        }

        HttpResponse<InputStream> send(URI uri, String accept, String authorizationHeader) throws IOException {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET();
            if (authorizationHeader != null) {
                request.header("Authorization", authorizationHeader);
            }
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        private String answer(String challenge) throws IOException {
            String basic = auth.map(a -> "Basic " + Base64.getEncoder().encodeToString(
                    (a.getUsername() + ":" + a.getPassword()).getBytes(StandardCharsets.UTF_8))).orElse(null);
            String scheme = challenge.split(" ", 2)[0].toLowerCase(Locale.ROOT);
            if (scheme.equals("basic")) {
                if (basic == null) {
                    throw new IOException("the registry asks for credentials and the Docker configuration has none");
                }
                return basic;
            }
            if (!scheme.equals("bearer")) {
                throw new IOException("the registry asks for authentication of an unknown kind");
            }
            Map<String, String> params = new LinkedHashMap<>();
            Matcher m = CHALLENGE_PARAM.matcher(challenge);
            while (m.find()) {
                params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
            String realm = params.remove("realm");
            if (realm == null) {
                throw new IOException("the registry's bearer challenge names no realm");
            }
            StringBuilder query = new StringBuilder();
            params.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            HttpResponse<InputStream> token = send(URI.create(realm + query), "application/json", basic);
            try (InputStream body = token.body()) {
                if (token.statusCode() != 200) {
                    throw new IOException("the registry's token service answered HTTP " + token.statusCode());
                }
                JsonNode json = JSON.readTree(body);
                String value = json.path("token").asText(json.path("access_token").asText(""));
                if (value.isEmpty()) {
                    throw new IOException("the registry's token service gave no token");
                }
                return "Bearer " + value;
            }
        }
    }
}
