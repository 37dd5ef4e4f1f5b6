package dev.stateful.drill.cli;

import dev.stateful.StatefulPostgres;
import dev.stateful.drill.DrillReport;
import dev.stateful.drill.RestoreDrill;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.migrate.Hazard;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.migrate.MigrationStep;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Stateful's main job in one run, for README's first command ({@code scripts/try-it.sh}):
 * restore a realistic dump into a Postgres container on a named volume, migrate it while
 * watching the locks each migration takes, print each migration's locks and hazards, run a
 * restore drill of the migrated database (back up, destroy, restore, compare, check), write the
 * HTML reports and print where they are.
 *
 * <p>The dump is the real public {@code dvdrental.tar} (the postgresqltutorial.com sample, 15
 * tables, 44,000 rows) from {@code ../shared/dumps} beside the project when it is there, with
 * four migrations written for it; otherwise the generated realistic dataset of
 * {@code stateful-test-fixtures} with its own migrations. Everything it creates is removed at
 * the end, the reports excepted.
 */
public final class TryIt {
    private static final String DVDRENTAL_MIGRATIONS = "classpath:dev/stateful/drill/tryit/dvdrental";
    private static final double FIXTURE_SCALE = 0.2;

    private TryIt() {
    }

    /** What to restore, migrate and check. */
    private record Job(String name, Path dump, MigrationSettings migrations, List<String> tables, List<String> checks) {
    }

    /**
     * Run it and exit 0 when the drill passed, 1 otherwise, 2 for bad arguments.
     *
     * @param args the project root, and the directory to write the reports into
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: TryIt PROJECT_ROOT REPORT_DIR (run scripts/try-it.sh)");
            System.exit(2);
        }
        System.exit(run(Path.of(args[0]).toAbsolutePath().normalize(), Path.of(args[1]).toAbsolutePath(), System.out));
    }

    static int run(Path root, Path reports, PrintStream out) {
        long started = System.nanoTime();
        Job job = job(root, out);
        DrillReport drillReport;
        Path migrationsHtml;
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("try-it").removeVolumeOnClose(true).start()) {
            out.printf("[try-it] 1/4 restore: %s into Postgres %s on volume %s%n", job.name(), db.image(), db.volumeName());
            long t = System.nanoTime();
            db.restoreDump(job.dump());
            out.printf("[try-it]     restored %s in %d ms%n", rows(db, job.tables()), ms(t));

            out.println("[try-it] 2/4 migrate, watching the locks each migration takes");
            MigrationResult result = db.migrations().withSettings(job.migrations()).migrate();
            for (MigrationStep step : result.steps()) {
                printStep(step, out);
            }
            out.printf("[try-it]     %d migrations, %s to %s in %d ms, %d hazard(s)%n", result.applied().size(),
                    result.from().orElse("(none)"), result.to().orElse("(none)"), result.duration().toMillis(),
                    result.hazards().size());
            migrationsHtml = result.writeReport(reports.resolve("migrations"), "scripts/try-it.sh: " + job.name());

            out.println("[try-it] 3/4 restore drill of the migrated database: back up, destroy, restore, compare, check");
            RestoreDrill drill = RestoreDrill.of(db).workDirectory(reports.resolve("drill-work"))
                    .expectTables(job.tables().toArray(String[]::new))
                    .onProgress(message -> out.println("[try-it]     [drill] " + message));
            job.checks().forEach(drill::check);
            drillReport = drill.run();
        } catch (SQLException e) {
            out.println("[try-it] FAILED: " + e.getMessage());
            return 1;
        }

        out.println("[try-it] 4/4 reports");
        Path drillHtml = reports.resolve("drill").resolve("report.html");
        try {
            Files.createDirectories(drillHtml.getParent());
            Files.writeString(drillHtml.resolveSibling("report.json"), drillReport.toJson());
            Files.writeString(drillHtml, HtmlReport.render(drillReport));
            deleteTree(reports.resolve("drill-work"));
        } catch (IOException e) {
            out.println("[try-it] FAILED: cannot write the drill report into " + drillHtml.getParent() + ": " + e.getMessage());
            return 1;
        }
        out.println("[try-it]     migrations: " + migrationsHtml);
        out.println("[try-it]     drill:      " + drillHtml);
        out.printf("[try-it] drill %s, recovery %d ms; all done in %d s%n",
                drillReport.passed() ? "PASSED" : "FAILED (" + drillReport.failure().orElse("a check failed") + ")",
                drillReport.recoveryTime().toMillis(), ms(started) / 1000);
        return drillReport.passed() ? 0 : 1;
    }

    private static Job job(Path root, PrintStream out) {
        Path dvdrental = root.resolve("../shared/dumps/dvdrental.tar").normalize();
        if (Files.isRegularFile(dvdrental)) {
            return new Job("dvdrental.tar (real public dump, pg_dump 11, " + dvdrental + ")", dvdrental,
                    MigrationSettings.defaults().withLocations(DVDRENTAL_MIGRATIONS).withBaselineOnMigrate(true),
                    List.of("customer", "rental", "payment", "film", "inventory"),
                    List.of("SELECT count(*) = 599 FROM customer WHERE loyalty_points > 0",
                            "SELECT data_type = 'bigint' FROM information_schema.columns "
                                    + "WHERE table_name = 'payment' AND column_name = 'payment_id'"));
        }
        out.println("[try-it] no ../shared/dumps/dvdrental.tar beside the project: generating the realistic fixture "
                + "dataset (scale " + FIXTURE_SCALE + ") instead");
        return new Job("the realistic fixture dataset, scale " + FIXTURE_SCALE, Fixtures.realisticDump(FIXTURE_SCALE),
                Fixtures.migrationSettings(), List.of("users", "orders", "order_items"),
                List.of("SELECT count(*) > 0 FROM users"));
    }

    private static void printStep(MigrationStep step, PrintStream out) {
        out.printf("[try-it]     %s  %d ms%n", step.migration(), step.duration().toMillis());
        for (Map.Entry<String, ?> lock : step.locks().entrySet()) {
            String table = lock.getKey();
            out.printf("[try-it]         lock %-22s on %-18s held %5d ms, reads blocked %5d ms, writes blocked %5d ms%s%n",
                    lock.getValue(), table, step.held(table).toMillis(), step.readsBlocked(table).toMillis(),
                    step.writesBlocked(table).toMillis(), step.rewrittenTables().contains(table) ? ", rewritten" : "");
        }
        for (Hazard hazard : step.hazards()) {
            out.println("[try-it]         HAZARD " + hazard);
        }
    }

    private static String rows(StatefulPostgres db, List<String> tables) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    b.append(b.length() == 0 ? "" : ", ").append(table).append(' ').append(rs.getLong(1));
                }
            }
        }
        return b.append(" rows").toString();
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
