package dev.stateful.junit;

import dev.stateful.StatefulPostgres;
import java.io.File;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Compile an example class at run time. Annotation attributes are constants, so a test that
 * needs a volume name unique to this run (one that outlives the kit run and must not collide
 * with other runs on the same engine) writes the class with that name and compiles it here.
 */
final class RuntimeClasses {
    private RuntimeClasses() {
    }

    /**
     * Compile one source file and load its class.
     *
     * @param dir an empty directory for sources and classes
     * @param className fully qualified name of the public top-level class
     * @param source its source
     * @return the loaded class; nested classes load through its class loader
     */
    static Class<?> compile(Path dir, String className, String source) {
        try {
            Path file = dir.resolve(className.replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int rc = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(), "-cp", classPath(), "-proc:none",
                    "-Xlint:none", "-nowarn", file.toString());
            if (rc != 0) {
                throw new AssertionError("cannot compile " + className + " (exit " + rc + "):\n" + diagnostics);
            }
            URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                    RuntimeClasses.class.getClassLoader());
            return Class.forName(className, true, loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** The test class path, plus the code sources of what examples use (Surefire may hide them in a manifest jar). */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(entry);
        }
        for (Class<?> type : new Class<?>[] {RuntimeClasses.class, StatefulPostgres.class, Test.class}) {
            entries.add(location(type));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String location(Class<?> type) {
        try {
            URL url = type.getProtectionDomain().getCodeSource().getLocation();
            return Paths.get(url.toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new AssertionError("no code source for " + type, e);
        }
    }
}
