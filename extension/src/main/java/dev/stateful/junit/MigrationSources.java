package dev.stateful.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Find the directories behind Flyway locations, so that the cache key covers every script. */
final class MigrationSources {
    private MigrationSources() {
    }

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
                for (URL url : Collections.list(Thread.currentThread().getContextClassLoader().getResources(resource))) {
                    roots.add(toPath(url));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list migration location " + location, e);
            }
        }
        return roots;
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
