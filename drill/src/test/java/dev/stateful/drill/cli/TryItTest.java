package dev.stateful.drill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.testing.RealData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command does the main job: on the real dvdrental dump (from {@code ../shared},
 * failed in CI without it) it restores, migrates, prints each migration's locks and the two
 * hazards its migrations have, passes a restore drill, and writes both HTML reports.
 */
@Tag("docker")
class TryItTest {
    @Test
    void restoresMigratesPrintsLocksAndHazardsDrillsAndWritesTheReports(@TempDir Path reports) {
        Path root = RealData.projectRoot();
        RealData.require(Files.isRegularFile(root.resolve("../shared/dumps/dvdrental.tar")),
                () -> "dvdrental.tar not found in " + root.resolve("../shared/dumps").normalize() + " (docs/dumps.md)");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = TryIt.run(root, reports, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(status).as(out).isZero();
        assertThat(out).as(out)
                .contains("[try-it] 1/4 restore: dvdrental.tar (real public dump")
                .contains("restored customer 599, rental 16044, payment 14596")
                .containsPattern("lock SHARE +on public.rental")
                .containsPattern("lock ACCESS EXCLUSIVE +on public.payment .*, rewritten")
                .contains("HAZARD V2 index rental return date (V2__index_rental_return_date.sql): BLOCKING_INDEX_BUILD")
                .contains("HAZARD V5 payment id bigint (V5__payment_id_bigint.sql): TABLE_REWRITE on public.payment")
                .contains("4 migrations, (none) to 5")
                .contains("[try-it] drill PASSED")
                .contains("migrations: " + reports.resolve("migrations/migrations.html"))
                .contains("drill:      " + reports.resolve("drill/report.html"));
        assertThat(reports.resolve("migrations/migrations.html")).content().contains("TABLE_REWRITE");
        assertThat(reports.resolve("drill/report.html")).content().contains("id=\"verdict\"");
        assertThat(reports.resolve("drill-work")).doesNotExist();
    }
}
