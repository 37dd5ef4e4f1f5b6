package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import dev.stateful.snapshot.BackupKind;
import dev.stateful.testing.Sql;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database snapshots, volume snapshots and volume backups, as docs/snapshots-and-reset.md shows them. */
@Tag("docker")
@WithVolume
class SnapshotsExampleTest {
    @Test
    void aDatabaseSnapshotPutsTheDataBack(StatefulPostgres db) throws Exception {
        Sql.run(db, "CREATE TABLE orders (id int)", "INSERT INTO orders VALUES (1), (2)");
        // tag::database-snapshot[]
        db.snapshot("seeded");                       // a template database beside the test's
        Sql.run(db, "DELETE FROM orders");           // ... the test changes data ...
        db.restore("seeded");                        // back: a rename when a pooled clone is ready
        assertThat(db).table("orders").hasRowCount(2);

        assertThat(db.snapshots().names()).contains("seeded");
        db.snapshots().drop("seeded");
        // end::database-snapshot[]
    }

    @Test
    void aVolumeSnapshotKeepsRolesAndEveryDatabase(StatefulPostgres db) throws Exception {
        // tag::volume-snapshot[]
        Sql.run(db, "CREATE ROLE reporting NOLOGIN", "CREATE DATABASE reports");
        db.snapshots().snapshotVolume("with-role");  // the whole data directory, server stopped meanwhile
        Sql.run(db, "DROP DATABASE reports", "DROP ROLE reporting");
        db.snapshots().restoreVolume("with-role");   // copied back, server started again
        assertThat(Sql.count(db, "pg_roles WHERE rolname = 'reporting'")).isEqualTo(1);
        assertThat(Sql.count(db, "pg_database WHERE datname = 'reports'")).isEqualTo(1);
        // end::volume-snapshot[]
        Sql.run(db, "DROP DATABASE reports", "DROP ROLE reporting");
    }

    @Test
    @WithVolume
    void aVolumeBackupRestoresIntoAnotherVolume(StatefulPostgres db, @TempDir Path dir) throws Exception {
        Sql.run(db, "CREATE TABLE orders (id int)", "INSERT INTO orders SELECT generate_series(1, 50)");
        // tag::volume-backup[]
        Path backup = db.backups().backup(BackupKind.VOLUME, dir.resolve("data.tar"));  // tar of the data directory
        try (StatefulPostgres other = StatefulPostgres.builder().start()) {
            other.backups().restore(backup);                                 // replaces its data directory
            assertThat(other).table("orders").hasRowCount(50);
        }
        // end::volume-backup[]
    }
}
