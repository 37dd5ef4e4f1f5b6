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
 */
public record DrillOptions(Path dump, String volume, String sourceImage, String image, Path migrations,
                           List<String> checks, List<String> expectTables, Path report, boolean destroySource) {

    static final String USAGE = """
            Usage: java -jar stateful-drill.jar (--dump FILE | --volume NAME) [options]
              --dump FILE            restore this pg_dump file or directory (custom, directory, tar, plain, .sql.gz)
                                     or volume backup
              --volume NAME          back up this live Docker volume first (logical dump), then restore it
              --source-image IMAGE   image to run the live volume with (default: the default image)
              --destroy-source       remove the live volume after the backup (a real 'down -v' drill)
              --image IMAGE          image to restore onto (default: STATEFUL_IMAGE or postgres:17)
              --migrations DIR       run the Flyway migrations in DIR after the restore
              --check SQL            a query that must return true (repeatable)
              --expect-tables A,B    tables that must exist after the restore
              --report DIR           write report.json and report.html into DIR
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
                default -> throw new UsageException("unknown option '" + arg + "'; expected one of the options below.");
            }
        }
        if ((dump == null) == (volume == null)) {
            throw new UsageException("give exactly one of --dump FILE and --volume NAME; got "
                    + (dump == null ? "neither" : "both") + ".");
        }
        if (migrations != null && !java.nio.file.Files.isDirectory(migrations)) {
            throw new UsageException("--migrations '" + migrations + "' is not a directory; expected a directory of "
                    + "Flyway migrations (V1__name.sql, ...).");
        }
        return new DrillOptions(dump, volume, sourceImage, image, migrations, List.copyOf(checks), List.copyOf(tables),
                report, destroy);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value.");
        }
        return args[i];
    }
}
