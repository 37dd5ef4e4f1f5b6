package dev.stateful.migrate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Real public Liquibase changelogs nobody here made, read where they are: not in the repository.
 * The directory is named by the system property {@code stateful.real-changelogs} or the variable
 * {@code STATEFUL_REAL_CHANGELOGS} (default {@code ../shared/changelogs} beside the project) and
 * holds a checkout of each project, such as {@code jhipster-sample-app/} of
 * github.com/jhipster/jhipster-sample-app (Apache-2.0). Tests are skipped, naming the source, when it is absent.
 */
final class RealChangelogs {
    /** The JHipster sample app's changelog, as the app's Spring Boot runs it. */
    static final String JHIPSTER = "classpath:config/liquibase/master.xml";

    private RealChangelogs() {
    }

    /** Return the resources root of the JHipster sample app, or skip the test. */
    static Path jhipsterResources() {
        Path resources = directory().resolve("jhipster-sample-app/src/main/resources");
        assumeTrue(Files.isRegularFile(resources.resolve("config/liquibase/master.xml")), () -> "JHipster sample app "
                + "not found in " + directory() + "; it is github.com/jhipster/jhipster-sample-app (Apache-2.0). Put a "
                + "checkout of it (at least src/main/resources/config/liquibase) at jhipster-sample-app/ there, or point "
                + "stateful.real-changelogs / STATEFUL_REAL_CHANGELOGS at a directory holding it.");
        return resources;
    }

    /** Run with a resources root on the context class loader, as the application's classpath has it. */
    static <T> T withClasspath(Path resources, Callable<T> body) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {resources.toUri().toURL()}, previous)) {
            thread.setContextClassLoader(loader);
            return body.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Copy a directory tree, so that a test can edit the copy. */
    static void copy(Path from, Path to) {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        String configured = System.getProperty("stateful.real-changelogs", System.getenv("STATEFUL_REAL_CHANGELOGS"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("").toAbsolutePath();
        if (Files.isRegularFile(root.resolve("../pom.xml"))) {
            root = root.getParent();
        }
        return root.resolve("../shared/changelogs").normalize();
    }
}
