package dev.stateful.internal.pg;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Read what went wrong from the standard error of {@code pg_restore}, {@code psql} and {@code pg_dump}. */
public final class ToolErrors {
    private static final Pattern MISSING_ROLE = Pattern.compile("role \"([^\"]+)\" does not exist");
    private static final Pattern EXTENSION_NOT_AVAILABLE = Pattern.compile("extension \"([^\"]+)\" is not available");
    private static final Pattern EXTENSION_CONTROL_FILE =
            Pattern.compile("could not open extension control file \"(?:[^\"]*/)?([^\"/]+)\\.control\"");
    private static final Pattern UNSUPPORTED_VERSION =
            Pattern.compile("unsupported version \\(([0-9.]+)\\) in file header");
    private static final Pattern CORRUPT = Pattern.compile(
            "could not read from input file|unexpected end of file|end of file|did not find magic string"
                    + "|not appear to be a valid archive|possibly corrupt|could not uncompress|corrupt"
                    + "|could not find block ID|found unexpected block ID|could not read input file"
                    + "|invalid (compressed|stored) block|incorrect header check",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ERROR_LINE = Pattern.compile("(?i)(\\berror:|\\bfatal:)");

    private ToolErrors() {
    }

    /**
     * Return the roles named in {@code role "x" does not exist} errors.
     *
     * @param stderr the tool's standard error
     * @return distinct role names in order of appearance
     */
    public static List<String> missingRoles(String stderr) {
        return distinct(stderr, MISSING_ROLE);
    }

    /**
     * Return the extensions that are not installed on the server.
     *
     * @param stderr the tool's standard error
     * @return distinct extension names in order of appearance
     */
    public static List<String> missingExtensions(String stderr) {
        Set<String> names = new LinkedHashSet<>(distinct(stderr, EXTENSION_NOT_AVAILABLE));
        names.addAll(distinct(stderr, EXTENSION_CONTROL_FILE));
        return List.copyOf(names);
    }

    /**
     * Return the archive version {@code pg_restore} refused as too new.
     *
     * @param stderr the tool's standard error
     * @return such as {@code 1.16}, or empty
     */
    public static Optional<String> unsupportedArchiveVersion(String stderr) {
        Matcher m = UNSUPPORTED_VERSION.matcher(stderr);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Tell whether the errors say the dump is truncated or corrupt.
     *
     * @param stderr the tool's standard error
     * @return {@code true} when an error line says so
     */
    public static boolean looksCorrupt(String stderr) {
        for (String line : stderr.split("\\R")) {
            if (ERROR_LINE.matcher(line).find() && CORRUPT.matcher(line).find()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Return the first line that reports an error.
     *
     * @param stderr the tool's standard error
     * @return the line, or the first non-blank line, or {@code (no output)}
     */
    public static String firstError(String stderr) {
        String firstNonBlank = null;
        for (String line : stderr.split("\\R")) {
            if (ERROR_LINE.matcher(line).find()) {
                return line.strip();
            }
            if (firstNonBlank == null && !line.isBlank()) {
                firstNonBlank = line.strip();
            }
        }
        return firstNonBlank == null ? "(no output)" : firstNonBlank;
    }

    private static List<String> distinct(String text, Pattern pattern) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }
}
