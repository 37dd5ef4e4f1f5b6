package dev.stateful.migrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Find Flyway's scripts without a database: the directories behind the locations (for a cache
 * key that covers every script) and the versions their names hold (to check a target before
 * anything starts).
 */
final class FlywayScripts {
    private FlywayScripts() {
    }

    /** Return the directories behind the locations: each {@code filesystem:} path and every classpath match. */
    static List<Path> roots(List<String> locations) {
        List<Path> roots = new ArrayList<>();
        for (String location : locations) {
            if (location.startsWith("filesystem:")) {
                roots.add(Path.of(location.substring("filesystem:".length())));
                continue;
            }
            String resource = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
            resource = resource.replaceFirst("^/+", "");
            try {
                for (URL url : Collections.list(classLoader().getResources(resource))) {
                    roots.add(toPath(url));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list migration location " + location, e);
            }
        }
        return roots;
    }

    /**
     * List the versions of the versioned migrations ({@code V<version>__<description>.sql}, or a
     * compiled Java migration of that name) under the locations' directories that exist.
     *
     * @return the versions as written in the names, {@code _} read as {@code .}; empty when no
     *     directory exists
     */
    static Optional<List<String>> versions(List<String> locations) {
        List<String> versions = new ArrayList<>();
        boolean anyRoot = false;
        for (Path root : roots(locations)) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            anyRoot = true;
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                        .map(FlywayScripts::version).flatMap(Optional::stream).forEach(versions::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list migration directory " + root, e);
            }
        }
        return anyRoot ? Optional.of(versions) : Optional.empty();
    }

    private static Optional<String> version(String fileName) {
        int separator = fileName.indexOf("__");
        boolean script = fileName.endsWith(".sql") || (fileName.endsWith(".class") && !fileName.contains("$"));
        if (!fileName.startsWith("V") || separator < 2 || !script) {
            return Optional.empty();
        }
        return Optional.of(fileName.substring(1, separator).replace('_', '.'));
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : FlywayScripts.class.getClassLoader();
    }

    private static Path toPath(URL url) throws IOException {
        try {
            if ("jar".equals(url.getProtocol())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(url.toURI(), Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(url.toURI());
                }
                return fs.provider().getPath(url.toURI());
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException("unusable resource URL " + url, e);
        }
    }
}
