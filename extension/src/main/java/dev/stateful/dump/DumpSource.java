package dev.stateful.dump;

import dev.stateful.error.DumpException;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.pg.DumpFileMessages;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Name where a dump is, as annotations and configuration write it:
 * <ul>
 *   <li>{@code classpath:dumps/orders.dump}: a resource, for example under
 *       {@code src/test/resources/dumps/};</li>
 *   <li>{@code file:/data/orders.dump} or {@code file:build/orders.dump}: a file;</li>
 *   <li>{@code src/test/dumps/orders.dump}: a path, relative to the working directory (the
 *       module's directory under Maven and Gradle).</li>
 * </ul>
 * {@link #resolve()} finds it and fails with a clear {@link DumpException} when it is missing.
 * A resource inside a jar is copied to a temporary file first.
 */
public final class DumpSource {
    private static final String CLASSPATH = "classpath:";
    private static final String FILE = "file:";

    private final String spec;

    private DumpSource(String spec) {
        this.spec = spec;
    }

    /**
     * Parse a dump location.
     *
     * @param spec {@code classpath:...}, {@code file:...} or a path
     * @return the source (not checked yet)
     * @throws InvalidArgumentException when it is blank
     */
    public static DumpSource of(String spec) {
        if (spec == null || spec.isBlank() || spec.strip().equals(CLASSPATH) || spec.strip().equals(FILE)) {
            throw new InvalidArgumentException("dump location '" + spec + "' is invalid; expected 'classpath:<resource>'"
                    + ", 'file:<path>' or a path. Fix: pass for example 'classpath:dumps/orders.dump'.");
        }
        return new DumpSource(spec.strip());
    }

    /**
     * Name a dump by path.
     *
     * @param path a file or directory
     * @return the source
     */
    public static DumpSource of(Path path) {
        return new DumpSource(Objects.requireNonNull(path, "path").toString());
    }

    /**
     * Return the location as given.
     *
     * @return such as {@code classpath:dumps/orders.dump}
     */
    public String spec() {
        return spec;
    }

    /**
     * Tell whether the location names a classpath resource.
     *
     * @return {@code true} for {@code classpath:...}
     */
    public boolean isClasspath() {
        return spec.startsWith(CLASSPATH);
    }

    /**
     * Find the dump.
     *
     * @return an existing file or directory
     * @throws DumpException when there is nothing at the location
     */
    public Path resolve() {
        if (isClasspath()) {
            return resolveResource(spec.substring(CLASSPATH.length()).replaceFirst("^/+", ""));
        }
        Path path = spec.startsWith(FILE) ? filePath(spec) : Path.of(spec);
        if (!Files.exists(path)) {
            throw new DumpException(DumpFileMessages.missing(spec, path));
        }
        return path;
    }

    private Path resolveResource(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = DumpSource.class.getClassLoader();
        }
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new DumpException(DumpFileMessages.missingResource(spec, resource));
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new DumpException("Dump '" + spec + "' has a location that is no valid URI: " + url, e);
            }
        }
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        try (InputStream in = url.openStream()) {
            Path copy = Files.createTempFile("stateful-dump-", "-" + name);
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new DumpException("Dump '" + spec + "' cannot be read from " + url + ": " + e.getMessage()
                    + ". Expected a readable file resource (a directory-format dump cannot be read from a jar). "
                    + "Fix: use a custom-format dump file, or a 'file:' location.", e);
        }
    }

    private static Path filePath(String spec) {
        String rest = spec.substring(FILE.length());
        if (rest.startsWith("//")) {
            return Path.of(URI.create(spec));
        }
        return Path.of(rest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DumpSource d && spec.equals(d.spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    @Override
    public String toString() {
        return spec;
    }
}
