package dev.stateful.drill.cli;

import dev.stateful.drill.DrillHistory;
import dev.stateful.drill.DrillReport;
import dev.stateful.drill.RestoreDrill;
import dev.stateful.StatefulPostgres;
import dev.stateful.error.StatefulException;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.stack.StackDrill;
import dev.stateful.stack.StackDrillReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run a restore drill from the command line: {@code java -jar stateful-drill.jar --dump FILE}.
 * Prints progress, writes a JSON and an HTML report, and exits non-zero when the drill fails.
 */
public final class DrillMain {
    private DrillMain() {
    }

    /**
     * Run the drill and exit with its status.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The history to draw, or {@code null} without one or when it cannot be read (said on {@code err}). */
    private static DrillHistory history(DrillOptions options, PrintStream err) {
        if (options.history() == null) {
            return null;
        }
        try {
            return DrillHistory.read(options.history());
        } catch (RuntimeException e) {
            err.println("stateful-drill: the report shows no trend: cannot read the history " + options.history() + ": "
                    + e.getMessage());
            return null;
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("cache")) {
            return CacheCommand.run(java.util.List.of(args).subList(1, args.length), out, err);
        }
        if (args.length == 0 || java.util.List.of(args).contains("--help")) {
            out.println(DrillOptions.USAGE);
            return args.length == 0 ? 2 : 0;
        }
        DrillOptions options;
        try {
            options = DrillOptions.parse(args);
        } catch (DrillOptions.UsageException e) {
            err.println("stateful-drill: " + e.getMessage());
            err.println(DrillOptions.USAGE);
            return 2;
        }
        if (options.compose() != null) {
            return runCompose(options, out, err);
        }
        StatefulPostgres source = null;
        DrillReport report;
        try {
            RestoreDrill drill;
            if (options.volume() != null) {
                StatefulPostgres.Builder builder = StatefulPostgres.builder().volume(options.volume()).removeVolumeOnClose(false);
                if (options.sourceImage() != null) {
                    builder.image(options.sourceImage());
                }
                source = builder.start();
                drill = RestoreDrill.of(source).destroySource(options.destroySource());
            } else {
                drill = RestoreDrill.ofBackup(options.dump());
            }
            if (options.image() != null) {
                drill.targetImage(options.image());
            }
            if (options.migrations() != null) {
                drill.migrations(MigrationSettings.defaults().withLocations("filesystem:" + options.migrations().toAbsolutePath()));
            }
            if (options.history() != null) {
                drill.history(options.history());
            }
            if (options.maxRto() != null) {
                drill.maxRecoveryTime(options.maxRto());
            }
            options.checks().forEach(drill::check);
            drill.expectTables(options.expectTables().toArray(String[]::new));
            drill.onProgress(message -> out.println("[drill] " + message));
            report = drill.run();
        } catch (StatefulException e) {
            err.println("stateful-drill: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("stateful-drill: the drill could not run: " + e);
            return 1;
        } finally {
            if (source != null) {
                try {
                    source.close();
                } catch (RuntimeException e) {
                    err.println("stateful-drill: cannot close the source: " + e.getMessage());
                }
            }
        }
        if (options.report() != null) {
            try {
                Files.createDirectories(options.report());
                Files.writeString(options.report().resolve("report.json"), report.toJson());
                DrillHistory history = history(options, err);
                Files.writeString(options.report().resolve("report.html"), HtmlReport.render(report, history,
                        options.maxRto()));
                out.println("[drill] report: " + options.report().resolve("report.html").toAbsolutePath());
            } catch (IOException e) {
                err.println("stateful-drill: cannot write the report into " + options.report() + ": " + e.getMessage());
                return 1;
            }
        }
        out.println(report.passed() ? "PASSED" : "FAILED: " + report.failure().orElse("a check failed"));
        return report.passed() ? 0 : 1;
    }


    /** {@code --compose FILE --project NAME}: a drill of a live Compose project, every store at once. */
    private static int runCompose(DrillOptions options, PrintStream out, PrintStream err) {
        StackDrillReport report;
        try {
            StackDrill drill = StackDrill.ofLiveProject(options.compose(), options.project())
                    .onProgress(message -> out.println("[drill] " + message));
            options.checks().forEach(drill::check);
            report = drill.run();
        } catch (StatefulException e) {
            err.println("stateful-drill: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("stateful-drill: the drill could not run: " + e);
            return 1;
        }
        out.print(report.toText());
        if (options.report() != null) {
            try {
                Files.createDirectories(options.report());
                Files.writeString(options.report().resolve("report.txt"), report.toText());
                Files.writeString(options.report().resolve("report.json"), report.toJson());
                Files.writeString(options.report().resolve("report.html"), HtmlReport.render(report));
                out.println("[drill] report: " + options.report().resolve("report.html").toAbsolutePath());
            } catch (IOException e) {
                err.println("stateful-drill: cannot write the report into " + options.report() + ": " + e.getMessage());
                return 1;
            }
        }
        out.println(report.passed() ? "PASSED" : "FAILED: " + report.failure().orElse("a check failed"));
        return report.passed() ? 0 : 1;
    }
}
