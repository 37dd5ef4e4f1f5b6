package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.drill.DrillReport;
import dev.stateful.drill.RestoreDrill;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.junit.WithVolume;
import dev.stateful.snapshot.BackupKind;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Restore drills as a JUnit parameter and from Java, as docs/drills-and-cli.md shows them. */
@Tag("docker")
class DrillExampleTest {
    // tag::drill-parameter[]
    @Test
    @WithVolume                                   // a volume of its own: the drill destroys it
    void ordersSurviveAVolumeBackup(StatefulPostgres db, RestoreDrill drill) throws Exception {
        Sql.run(db, "CREATE TABLE orders (id int PRIMARY KEY, total numeric)",
                "INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 1000) g");
        DrillReport report = drill.backupKind(BackupKind.VOLUME)
                .check("SELECT count(*) = 1000 FROM orders")
                .expectTables("orders")
                .verify(restored -> assertThat(restored).table("orders").hasRowCount(1000))
                .run();
        assertThat(report.passed()).as(report.failure().orElse("")).isTrue();
    }
    // end::drill-parameter[]

    @Test
    void aDumpFileDrilledFromJava() {
        // tag::drill-from-java[]
        DrillReport report = RestoreDrill.ofBackup(Fixtures.realisticDump(0.01))  // a pg_dump file or a volume backup
                .migrations(Fixtures.migrationSettings())                 // Flyway after the restore
                .check("SELECT count(*) > 0 FROM users")                  // must return true
                .expectTables("users", "orders", "order_items")
                .onProgress(System.out::println)
                .run();                                                   // a failed step is reported, not thrown
        assertThat(report.passed()).as(report.failure().orElse("")).isTrue();
        assertThat(report.summary()).containsKeys("drill.passed", "drill.recovery-ms", "drill.step.restore-ms");
        // end::drill-from-java[]
    }
}
