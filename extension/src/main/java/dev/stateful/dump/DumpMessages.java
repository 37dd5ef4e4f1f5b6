package dev.stateful.dump;

import dev.stateful.internal.pg.ToolErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Format the dump errors: the thing, the value, what was expected, and the fix. */
final class DumpMessages {
    static final String EXPECTED = "Expected a dump made by pg_dump: custom (-Fc), directory (-Fd), tar (-Ft) or "
            + "plain SQL (-Fp), a file optionally gzipped.";

    private DumpMessages() {
    }

    static String missing(String spec, Path path) {
        return "Dump '" + spec + "' does not exist (looked at " + path.toAbsolutePath().normalize() + "). " + EXPECTED
                + " Fix: check the path; a relative path is resolved against the working directory "
                + Path.of("").toAbsolutePath() + " (the module's directory under Maven), or use 'classpath:...' for "
                + "a dump under src/test/resources.";
    }

    static String missingResource(String spec, String resource) {
        return "Dump '" + spec + "' does not exist: there is no resource '" + resource + "' on the classpath. "
                + EXPECTED + " Fix: put the dump at src/test/resources/" + resource + " (or src/main/resources/"
                + resource + "), or use 'file:...' for a dump outside the classpath.";
    }

    static String empty(Path path) {
        return "Dump '" + path + "' is empty (0 bytes of data). " + EXPECTED
                + " Fix: create the dump again; a pg_dump that failed often leaves an empty file behind.";
    }

    static String unreadable(Path path, IOException e) {
        return "Dump '" + path + "' cannot be read: " + e + ". " + EXPECTED + " Fix: check its permissions.";
    }

    static String directoryWithoutToc(Path path) {
        return "Dump directory '" + path + "' holds no toc.dat, so it is not a directory-format dump. " + EXPECTED
                + " Fix: pass the directory pg_dump -Fd wrote (it holds toc.dat and <id>.dat.gz files), or a dump "
                + "file.";
    }

    static String foreignTar(Path path, String firstEntry) {
        return "Dump '" + path + "' is a tar archive but not one pg_dump -Ft wrote: its first entry is '" + firstEntry
                + "', expected 'toc.dat'. " + EXPECTED + " Fix: unpack it and pass the directory holding toc.dat "
                + "(a directory-format dump), or create the dump with pg_dump -Ft.";
    }

    static String unknownFormat(Path path, String hexHead, boolean gzipped) {
        return "Dump '" + path + "' has an unknown format: " + (gzipped ? "inside its gzip data it" : "it")
                + " starts with bytes " + hexHead + ", which is neither a custom archive ('PGDMP'), a pg_dump tar "
                + "archive, nor SQL text. " + EXPECTED + " Fix: pass a file pg_dump wrote.";
    }

    static String corruptGzip(Path path, IOException e) {
        return "Dump '" + path + "' is gzip data that is truncated or corrupt (" + e.getMessage() + "). " + EXPECTED
                + " Fix: create or copy the dump again; 'gzip -t' checks such a file.";
    }

    static String cannotCopy(String description, String database, Throwable cause) {
        return "Copying dump " + description + " into the container of database '" + database + "' failed: "
                + cause.getMessage() + ". The database '" + database + "' was dropped and created again empty. "
                + "Fix: check that the container runs and has room in /tmp.";
    }

    /**
     * Describe a failed restore.
     *
     * @param description the dump and its format
     * @param database the target database
     * @param tool {@code pg_restore} or {@code psql}
     * @param exitCode the tool's exit code
     * @param stderr the tool's full standard error
     * @param tail the last lines of it
     * @param format the dump's format
     * @param image the server's image
     * @param toolVersion what {@code pg_restore --version} printed, or empty
     * @param keepsOwnership whether the restore kept ownership and privileges
     * @return the message
     */
    static String restoreFailed(String description, String database, String tool, int exitCode, String stderr,
            String tail, DumpFormat format, String image, String toolVersion, boolean keepsOwnership) {
        return restoreFailed(description, database, tool, exitCode, stderr, tail, format, image, toolVersion,
                keepsOwnership, null);
    }

    /**
     * The same, saying whether the database could be reset after the failure.
     *
     * @param resetFailure why the database could not be dropped and created again, or {@code null} when it was
     */
    static String restoreFailed(String description, String database, String tool, int exitCode, String stderr,
            String tail, DumpFormat format, String image, String toolVersion, boolean keepsOwnership,
            String resetFailure) {
        StringBuilder m = new StringBuilder("Restoring dump ").append(description).append(" into database '")
                .append(database).append("' failed: ").append(tool).append(exitCode == 0 ? " reported errors" : " exited with " + exitCode)
                .append(". ");
        List<String> roles = ToolErrors.missingRoles(stderr);
        List<String> extensions = ToolErrors.missingExtensions(stderr);
        Optional<String> version = ToolErrors.unsupportedArchiveVersion(stderr);
        boolean diagnosed = false;
        if (version.isPresent()) {
            diagnosed = true;
            m.append("The dump was written by a newer pg_dump (archive version ").append(version.get())
                    .append(") than the server's pg_restore").append(toolVersion.isBlank() ? "" : " (" + toolVersion
                    + ")").append(" can read, in image ").append(image).append(". Expected a dump from pg_dump of "
                    + "the server's major version or older. Fix: restore it into a server of the same or a newer major "
                    + "version (builder().image(...)), or create the dump again with the server's pg_dump. ");
        }
        if (!roles.isEmpty()) {
            diagnosed = true;
            m.append("The dump needs roles that do not exist on the server: ").append(String.join(", ", roles))
                    .append(". Expected every role the dump names (OWNER TO, GRANT, policies) to exist. Fix: create "
                    + "them before restoring (CREATE ROLE ").append(roles.get(0)).append(";)");
            if (keepsOwnership) {
                m.append(", or restore with roles CREATE_MISSING (the default), which creates them NOLOGIN. ");
            } else {
                m.append(". ");
            }
        }
        if (!extensions.isEmpty()) {
            diagnosed = true;
            m.append("The dump needs extensions that are not available in image ").append(image).append(": ")
                    .append(String.join(", ", extensions)).append(". Expected their files in the server's extension "
                    + "directory. Fix: use an image that has them (for example postgis/postgis for postgis), or "
                    + "build one FROM ").append(image).append(" that installs them. ");
        }
        if (!diagnosed && ToolErrors.looksCorrupt(stderr)) {
            diagnosed = true;
            m.append("The dump is truncated or corrupt (").append(ToolErrors.firstError(stderr))
                    .append("). Expected a complete ").append(format.label()).append(" dump. Fix: create it again, "
                    + "check that the pg_dump that wrote it exited with 0, and that it was copied whole. ");
        }
        if (!diagnosed) {
            m.append("First error: ").append(ToolErrors.firstError(stderr)).append(". Fix: see the "
                    + "tool's output below. ");
        }
        if (resetFailure == null) {
            m.append("The database '").append(database).append("' was dropped and created again empty, so nothing is "
                    + "half restored.\n");
        } else {
            m.append("The database '").append(database).append("' could not be reset afterwards (").append(resetFailure)
                    .append("), so it may be half restored.\n");
        }
        m.append(tool).append(" output (last lines):\n").append(tail);
        return m.toString();
    }

    static String dumpFailed(String database, String target, int exitCode, String tail) {
        return "Dumping database '" + database + "' to " + target + " failed: pg_dump exited with " + exitCode
                + ". Expected pg_dump to succeed; nothing was written to " + target + ". Fix: see pg_dump's output:\n"
                + tail;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
