package dev.stateful.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the documentation pages and the sources they quote live, found from the working directory. */
final class DocsFiles {
    private DocsFiles() {
    }

    /**
     * The repository root: the nearest directory, from the working directory (the module
     * directory under Maven) upwards, that holds {@code .ci}.
     */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve(".ci"))) {
                return d;
            }
        }
        throw new IllegalStateException("no directory holding .ci above " + dir
                + "; expected to run inside the Stateful checkout (mvn runs tests in the module directory)");
    }

    /** README.md, drill/README.md and every docs/*.md (docs/decisions holds no user page), relative to the root. */
    static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>();
        pages.add(Path.of("README.md"));
        if (Files.exists(root.resolve("drill/README.md"))) {
            pages.add(Path.of("drill/README.md"));
        }
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md"))
                    .map(root::relativize)
                    .sorted()
                    .forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** Every {@code .java} file below {@code dir}, at any depth (packages move; nothing is hard-coded). */
    static List<Path> javaSources(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
