package dev.stateful.internal.pg;

import java.io.IOException;
import java.nio.file.Path;

/** Format the errors of a dump file that cannot be read or is not a dump: the thing, the value, what was expected, and the fix. */
public final class DumpFileMessages {
    public static final String EXPECTED = "Expected a dump made by pg_dump: custom (-Fc), directory (-Fd), tar (-Ft) or "
            + "plain SQL (-Fp), a file optionally gzipped.";

    public static String missing(String spec, Path path) {
        return "Dump '" + spec + "' does not exist (looked at " + path.toAbsolutePath().normalize() + "). " + EXPECTED
                + " Fix: check the path; a relative path is resolved against the working directory "
                + Path.of("").toAbsolutePath() + " (the module's directory under Maven), or use 'classpath:...' for "
                + "a dump under src/test/resources.";
    }

    public static String missingResource(String spec, String resource) {
        return "Dump '" + spec + "' does not exist: there is no resource '" + resource + "' on the classpath. "
                + EXPECTED + " Fix: put the dump at src/test/resources/" + resource + " (or src/main/resources/"
                + resource + "), or use 'file:...' for a dump outside the classpath.";
    }

    public static String empty(Path path) {
        return "Dump '" + path + "' is empty (0 bytes of data). " + EXPECTED
                + " Fix: create the dump again; a pg_dump that failed often leaves an empty file behind.";
    }

    public static String unreadable(Path path, IOException e) {
        return "Dump '" + path + "' cannot be read: " + e + ". " + EXPECTED + " Fix: check its permissions.";
    }

    public static String directoryWithoutToc(Path path) {
        return "Dump directory '" + path + "' holds no toc.dat, so it is not a directory-format dump. " + EXPECTED
                + " Fix: pass the directory pg_dump -Fd wrote (it holds toc.dat and <id>.dat.gz files), or a dump "
                + "file.";
    }

    public static String foreignTar(Path path, String firstEntry) {
        return "Dump '" + path + "' is a tar archive but not one pg_dump -Ft wrote: its first entry is '" + firstEntry
                + "', expected 'toc.dat'. " + EXPECTED + " Fix: unpack it and pass the directory holding toc.dat "
                + "(a directory-format dump), or create the dump with pg_dump -Ft.";
    }

    public static String unknownFormat(Path path, String hexHead, boolean gzipped) {
        return "Dump '" + path + "' has an unknown format: " + (gzipped ? "inside its gzip data it" : "it")
                + " starts with bytes " + hexHead + ", which is neither a custom archive ('PGDMP'), a pg_dump tar "
                + "archive, nor SQL text. " + EXPECTED + " Fix: pass a file pg_dump wrote.";
    }

    public static String corruptGzip(Path path, IOException e) {
        return "Dump '" + path + "' is gzip data that is truncated or corrupt (" + e.getMessage() + "). " + EXPECTED
                + " Fix: create or copy the dump again; 'gzip -t' checks such a file.";
    }

    private DumpFileMessages() {
    }
}
