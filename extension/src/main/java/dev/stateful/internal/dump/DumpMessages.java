package dev.stateful.internal.dump;

import dev.stateful.dump.DumpFormat;
import dev.stateful.internal.pg.ToolErrors;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Format the dump errors: the thing, the value, what was expected, and the fix. */
public final class DumpMessages {
    private DumpMessages() {
    }

    public static String cannotCopy(String description, String database, Throwable cause) {
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
    public static String restoreFailed(String description, String database, String tool, int exitCode, String stderr,
            String tail, DumpFormat format, String image, String toolVersion, boolean keepsOwnership) {
        return restoreFailed(description, database, tool, exitCode, stderr, tail, format, image, toolVersion,
                keepsOwnership, null);
    }

    /**
     * The same, saying whether the database could be reset after the failure.
     *
     * @param resetFailure why the database could not be dropped and created again, or {@code null} when it was
     */
    public static String restoreFailed(String description, String database, String tool, int exitCode, String stderr,
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

    public static String dumpFailed(String database, String target, int exitCode, String tail) {
        return "Dumping database '" + database + "' to " + target + " failed: pg_dump exited with " + exitCode
                + ". Expected pg_dump to succeed; nothing was written to " + target + ". Fix: see pg_dump's output:\n"
                + tail;
    }

    public static String size(long bytes) {
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
