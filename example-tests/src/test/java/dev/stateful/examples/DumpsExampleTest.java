package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.dump.DumpFormat;
import dev.stateful.dump.DumpSource;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and restoring dumps with the handle, as docs/dumps.md shows it. */
@Tag("docker")
@WithVolume
class DumpsExampleTest {
    @Test
    void aDumpRestoresIntoAnotherServer(StatefulPostgres db, @TempDir Path dir) throws Exception {
        Sql.run(db, "CREATE TABLE orders (id int PRIMARY KEY, total numeric)",
                "INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 100) g");
        // tag::dump-and-restore[]
        Path dump = db.dumps().dump(dir.resolve("orders.dump"));            // pg_dump -Fc inside the container
        db.dumps().dump(dir.resolve("orders-dir"), DumpFormat.DIRECTORY);    // also TAR and PLAIN
        try (StatefulPostgres other = StatefulPostgres.builder().start()) {
            other.restoreDump(dump);                                         // the format is read from the content
            assertThat(other).table("orders").hasRowCount(100);
            other.restoreDump(dir.resolve("orders-dir"));                    // replaces the database again
            assertThat(other).table("orders").hasRowCount(100);
        }
        // end::dump-and-restore[]
    }

    @Test
    void aClasspathDumpWithOptions(StatefulPostgres db) {
        // tag::restore-options[]
        db.dumps().restore(DumpSource.of("classpath:dumps/shop-v1.sql"), RestoreOptions.defaults()
                .withRoles(RestoreOptions.Roles.CREATE_MISSING)             // the default: owners become NOLOGIN roles
                .withJobs(2)                                                 // pg_restore --jobs (custom, directory)
                .withAnalyze(true));                                         // ANALYZE afterwards (the default)
        assertThat(db).isAtSchemaVersion("1").table("users").hasRowCount(10);
        // end::restore-options[]
    }
}
