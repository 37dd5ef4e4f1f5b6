package dev.stateful.junit;

import dev.stateful.Setting;
import dev.stateful.StatefulSettings;
import dev.stateful.migrate.Hazard;
import dev.stateful.migrate.MigrationReportIndex;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.migrate.ObservedMigrationFailedException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * What {@link MigratedTo @MigratedTo} does with the observation of its migrations: write
 * {@code migrations.json} and {@code migrations.html}, list them in the run's
 * {@code index.html} ({@link RunReportIndex}), then fail (with
 * {@code failOnHazard = true}) or publish the hazards as report entries. A run whose migration
 * failed writes both files too, its failed step last.
 */
final class MigrationReporting {
    private final String where;
    private final boolean failOnHazard;
    private final Path dir;
    private final MigrationReportIndex index;
    private volatile MigrationResult result;

    private MigrationReporting(String where, boolean failOnHazard, Path dir, MigrationReportIndex index) {
        this.where = where;
        this.failOnHazard = failOnHazard;
        this.dir = dir;
        this.index = index;
    }

    static MigrationReporting of(AnnotatedElement element, String where, boolean failOnHazard, StatefulSettings run,
                                 ExtensionContext context) {
        Path root = run.get(Setting.REPORT_DIR);
        Path dir = element instanceof Method m ? root.resolve(m.getDeclaringClass().getName()).resolve(m.getName())
                : root.resolve(((Class<?>) element).getName());
        return new MigrationReporting(where, failOnHazard, dir, RunReportIndex.of(context, root));
    }

    boolean failOnHazard() {
        return failOnHazard;
    }

    Path dir() {
        return dir;
    }

    /** The migrations ran: write the report, and fail when asked to and there are hazards. */
    void check(MigrationResult migrated) {
        this.result = migrated;
        migrated.writeReport(dir, where);
        List<Hazard> hazards = migrated.hazards();
        index.add(where, dir, migrated, failOnHazard && !hazards.isEmpty() ? "failed: failOnHazard" : null);
        if (failOnHazard && !hazards.isEmpty()) {
            throw new AssertionFailedError(message(where, hazards, dir.resolve(MigrationResult.REPORT_HTML)));
        }
    }

    /**
     * A migration failed: write the report of the run until then (the failed step last, marked
     * failed), so that it tells what the failing run did; the failure itself is thrown on.
     */
    void failed(ObservedMigrationFailedException failure) {
        try {
            failure.result().writeReport(dir, where);
            index.add(where, dir, failure.result(), "migration failed");
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    static String message(String where, List<Hazard> hazards, Path report) {
        StringBuilder b = new StringBuilder("@MigratedTo on ").append(where).append(": ").append(hazards.size())
                .append(hazards.size() == 1 ? " migration hazard" : " migration hazards")
                .append("; expected none, because failOnHazard = true:");
        for (Hazard h : hazards) {
            b.append("\n  - ").append(h);
        }
        return b.append("\nReport: ").append(report).append(". Fix: follow each hazard's advice, or set failOnHazard = "
                + "false to report hazards without failing.").toString();
    }

    /** Publish the hazards (or that nothing was observed) as report entries of the context. */
    void publish(ExtensionContext context) {
        MigrationResult observed = result;
        if (observed == null) {
            index.unobserved(where, dir);
            context.publishReportEntry("stateful.migrations", "no migration ran for " + where + ": the state came from "
                    + "the state cache or a snapshot, so nothing was observed (failOnHazard = true observes every run)");
            return;
        }
        List<Hazard> hazards = observed.hazards();
        for (int i = 0; i < hazards.size(); i++) {
            context.publishReportEntry("stateful.hazard." + (i + 1), hazards.get(i).toString());
        }
        // Flyway migrations and Liquibase changesets are observed; a migrator image is not.
        context.publishReportEntry("stateful.migrations", observed.applied().size() + " migration(s) applied, "
                + observed.steps().size() + " observed, " + hazards.size() + " hazard(s); report "
                + dir.resolve(MigrationResult.REPORT_HTML));
        result = null;
    }
}
