package dev.stateful.snapshot;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.error.DumpException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.testing.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volume-level backups: a tar of the data directory through the archive API, and back. */
@Tag("docker")
class VolumeBackupsTest {

    @Test
    void aVolumeBackupRestoresRolesDatabasesAndRowsIntoANewVolume(@TempDir Path dir) throws Exception {
        Path backup = dir.resolve("data.tar");
        DatabaseFingerprint before;
        try (StatefulPostgres source = StatefulPostgres.builder().nameHint("VolumeBackupSource").start()) {
            Sql.run(source, "CREATE ROLE auditor",
                    "CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS ref FROM generate_series(1, 2000) g");
            before = source.fingerprint();
            assertThat(source.backups().backup(BackupKind.VOLUME, backup)).isEqualTo(backup);
            assertThat(Files.size(backup)).isGreaterThan(1_000_000);
            assertThat(source.isRunning()).as("started again after the backup").isTrue();
        }

        try (StatefulPostgres target = StatefulPostgres.builder().nameHint("VolumeBackupTarget").build()) {
            target.backups().restore(backup);
            assertThat(target.fingerprint()).isEqualTo(before);
            assertThat(Sql.number(target, "SELECT count(*) FROM pg_roles WHERE rolname = 'auditor'")).isEqualTo(1);
        }
    }

    @Test
    void aFileThatIsNeitherAVolumeBackupNorADumpFailsNamingIt(@TempDir Path dir) throws Exception {
        Path notABackup = Files.writeString(dir.resolve("notes.txt"), "hello");
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("VolumeBackupBad").build()) {
            // Not a tar with PG_VERSION, so restoreBackup treats it as a pg_dump file (plain SQL).
            assertThatThrownBy(() -> db.backups().restore(notABackup))
                    .isInstanceOf(DumpException.class)
                    .hasMessageContaining("Restoring dump '" + notABackup + "' (plain SQL, 5 B)")
                    .hasMessageContaining("syntax error at or near \"hello\"")
                    .hasMessageContaining("nothing is half restored");
        }
    }
}
