package dev.stateful.migrate;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.stateful.testing.RealData;
import java.util.concurrent.Callable;

/**
 * Real public Liquibase changelogs nobody here made, read where they are: not in the repository.
 * The directory is named by the system property {@code stateful.real-changelogs} or the variable
 * {@code STATEFUL_REAL_CHANGELOGS} (default {@code ../shared/changelogs} beside the project) and
 * holds a checkout of each project: {@code jhipster-sample-app/} of
 * github.com/jhipster/jhipster-sample-app (Apache-2.0), and {@code operaton/liquibase/} laid out as
 * Operaton's engine build lays it out (github.com/operaton/operaton, Apache-2.0: the files of
 * {@code engine/src/main/resources/org/operaton/bpm/engine/db/liquibase} with the
 * {@code ../upgrade/postgres_engine_7.16_to_7.17.sql} and later scripts copied into its
 * {@code upgrade/}, as {@code engine/pom.xml} does). Tests are skipped, naming the source, when it is absent.
 */
final class RealChangelogs {
    /** The JHipster sample app's changelog, as the app's Spring Boot runs it. */
    static final String JHIPSTER = "classpath:config/liquibase/master.xml";

    private RealChangelogs() {
    }

    /** Return the resources root of the JHipster sample app, or skip the test. */
    static Path jhipsterResources() {
        Path resources = directory().resolve("jhipster-sample-app/src/main/resources");
        RealData.require(Files.isRegularFile(resources.resolve("config/liquibase/master.xml")), () -> "JHipster sample app "
                + "not found in " + directory() + "; it is github.com/jhipster/jhipster-sample-app (Apache-2.0). Put a "
                + "checkout of it (at least src/main/resources/config/liquibase) at jhipster-sample-app/ there, or point "
                + "stateful.real-changelogs / STATEFUL_REAL_CHANGELOGS at a directory holding it.");
        return resources;
    }

    /** Return Operaton's changelog (nine tags, 7.16.0 to 7.25.0 without 7.22.0), or skip the test. */
    static Path operatonChangelog() {
        Path changelog = directory().resolve("operaton/liquibase/operaton-changelog.xml");
        RealData.require(Files.isRegularFile(changelog) && Files.isRegularFile(changelog.resolveSibling(
                "upgrade/postgres_engine_7.24_to_7.25.sql")), () -> "Operaton's Liquibase changelog not found at "
                + changelog + "; it is github.com/operaton/operaton, engine/src/main/resources/org/operaton/bpm/engine/"
                + "db/liquibase with the upgrade scripts copied into its upgrade/ as engine/pom.xml does. Put it there, "
                + "or point stateful.real-changelogs / STATEFUL_REAL_CHANGELOGS at a directory holding operaton/.");
        return changelog;
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
        return RealData.folder("stateful.real-changelogs", "STATEFUL_REAL_CHANGELOGS", "changelogs");
    }
}
