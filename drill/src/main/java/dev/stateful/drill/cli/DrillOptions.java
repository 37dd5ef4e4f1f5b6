package dev.stateful.drill.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parse the drill's command line.
 *
 * @param dump a dump or volume backup to restore, or {@code null}
 * @param volume a live volume to back up first, or {@code null}
 * @param sourceImage the image to run the live volume with, or {@code null} for the default
 * @param image the image to restore onto, or {@code null} for the default
 * @param migrations a directory of Flyway migrations to run after the restore, or {@code null}
 * @param checks SQL queries that must return true
 * @param expectTables tables that must exist
 * @param report where to write report.json and report.html, or {@code null}
 * @param destroySource whether to remove the live volume after backing it up
 * @param history a file to append this run to (one JSON line per run), or {@code null}
 * @param maxRto the longest acceptable recovery time, or {@code null}
 * @param compose the compose file of a live Compose project to drill, or {@code null}
 * @param project that project's name, or {@code null}
 */
public record DrillOptions(Path dump, String volume, String sourceImage, String image, Path migrations,
                           List<String> checks, List<String> expectTables, Path report, boolean destroySource,
                           Path history, java.time.Duration maxRto, Path compose, String project) {

    static final String USAGE = """
            Usage: java -jar stateful-drill.jar (--dump FILE | --volume NAME | --compose FILE --project NAME) [options]
              --dump FILE            restore this pg_dump file or directory (custom, directory, tar, plain, .sql.gz)
                                     or volume backup
              --volume NAME          back up this live Docker volume first (logical dump), then restore it
              --compose FILE         drill the live Compose project of this file: back up every named volume
                                     (services paused), restore into new volumes, compare every service, check
              --project NAME         the live project's name (docker compose -p NAME), with --compose
              --source-image IMAGE   image to run the live volume with (default: the default image)
              --destroy-source       remove the live volume after the backup (a real 'down -v' drill)
              --image IMAGE          image to restore onto (default: STATEFUL_IMAGE or postgres:17)
              --migrations DIR       run the Flyway migrations in DIR after the restore
              --check SQL            a query that must return true (repeatable)
              --expect-tables A,B    tables that must exist after the restore
              --report DIR           write report.json and report.html into DIR (and report.txt with --compose)
              --history FILE         append this run to FILE (one JSON line per run); the HTML report
                                     draws recovery time and step durations over the recorded runs
              --max-rto DURATION     fail when the recovery time exceeds DURATION (such as 90s, 15m, 1h)
              --help                 show this help
            Exit status: 0 when the drill passed, 1 when it failed, 2 for bad arguments.
            Cache entries (list, export, import, prune): java -jar stateful-drill.jar cache --help""";

    /** Signals bad arguments; the message says which and how to fix them. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static DrillOptions parse(String[] args) throws UsageException {
        Path dump = null;
        String volume = null;
        String sourceImage = null;
        String image = null;
        Path migrations = null;
        List<String> checks = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        Path report = null;
        boolean destroy = false;
        Path history = null;
        java.time.Duration maxRto = null;
        Path compose = null;
        String project = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--dump" -> dump = Path.of(value(args, ++i, arg));
                case "--volume" -> volume = value(args, ++i, arg);
                case "--source-image" -> sourceImage = value(args, ++i, arg);
                case "--image" -> image = value(args, ++i, arg);
                case "--migrations" -> migrations = Path.of(value(args, ++i, arg));
                case "--check" -> checks.add(value(args, ++i, arg));
                case "--expect-tables" -> {
                    for (String t : value(args, ++i, arg).split(",")) {
                        if (!t.isBlank()) {
                            tables.add(t.strip());
                        }
                    }
                }
                case "--report" -> report = Path.of(value(args, ++i, arg));
                case "--destroy-source" -> destroy = true;
                case "--history" -> history = Path.of(value(args, ++i, arg));
                case "--max-rto" -> maxRto = duration(arg, value(args, ++i, arg));
                case "--compose" -> compose = Path.of(value(args, ++i, arg));
                case "--project" -> project = value(args, ++i, arg);
                default -> throw new UsageException("unknown option '" + arg + "'; expected one of the options below.");
            }
        }
        if ((compose == null) != (project == null)) {
            throw new UsageException("--compose FILE and --project NAME go together; got only "
                    + (compose == null ? "--project" : "--compose") + ".");
        }
        int sources = (dump == null ? 0 : 1) + (volume == null ? 0 : 1) + (compose == null ? 0 : 1);
        if (compose != null && sources == 1) {
            return new DrillOptions(null, null, sourceImage, image, migrations, List.copyOf(checks), List.copyOf(tables),
                    report, destroy, history, maxRto, compose, project);
        }
        if ((dump == null) == (volume == null) || compose != null) {
            throw new UsageException("give exactly one of --dump FILE and --volume NAME; got "
                    + (dump == null && volume == null ? "neither" : "more than one") + ".");
        }
        if (migrations != null && !java.nio.file.Files.isDirectory(migrations)) {
            throw new UsageException("--migrations '" + migrations + "' is not a directory; expected a directory of "
                    + "Flyway migrations (V1__name.sql, ...).");
        }
        if (history != null) {
            try {
                dev.stateful.drill.DrillHistory.read(history);
            } catch (dev.stateful.error.InvalidArgumentException e) {
                throw new UsageException("--history: " + e.getMessage());
            }
        }
        return new DrillOptions(dump, volume, sourceImage, image, migrations, List.copyOf(checks), List.copyOf(tables),
                report, destroy, history, maxRto, null, null);
    }

    /** Parse {@code 1500ms}, {@code 90s}, {@code 15m}, {@code 1h} or ISO-8601 {@code PT15M}; positive. */
    static java.time.Duration duration(String option, String text) throws UsageException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.strip());
        java.time.Duration d = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> java.time.Duration.ofMillis(n);
                case "s" -> java.time.Duration.ofSeconds(n);
                case "m" -> java.time.Duration.ofMinutes(n);
                default -> java.time.Duration.ofHours(n);
            };
        } else {
            try {
                d = java.time.Duration.parse(text.strip());
            } catch (java.time.format.DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.isZero() || d.isNegative()) {
            throw new UsageException(option + " '" + text + "' is not a positive duration; expected a number with ms, "
                    + "s, m or h, such as 90s or 15m (or ISO-8601 such as PT15M).");
        }
        return d;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value.");
        }
        return args[i];
    }
}
