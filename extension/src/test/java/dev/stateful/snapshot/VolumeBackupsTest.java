package dev.stateful.snapshot;

import dev.stateful.BackupKind;
import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.error.InvalidArgumentException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
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
            try (Connection c = source.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE auditor");
                s.execute("CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS ref FROM generate_series(1, 2000) g");
            }
            before = source.fingerprint();
            assertThat(source.backup(BackupKind.VOLUME, backup)).isEqualTo(backup);
            assertThat(Files.size(backup)).isGreaterThan(1_000_000);
            assertThat(source.isRunning()).as("started again after the backup").isTrue();
        }

        try (StatefulPostgres target = StatefulPostgres.builder().nameHint("VolumeBackupTarget").build()) {
            target.restoreBackup(backup);
            assertThat(target.fingerprint()).isEqualTo(before);
            try (Connection c = target.connection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = 'auditor'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aFileThatIsNotADataDirectoryArchiveIsRejected(@TempDir Path dir) throws Exception {
        Path notABackup = Files.writeString(dir.resolve("notes.txt"), "hello");
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("VolumeBackupBad").build()) {
            assertThatThrownBy(() -> db.restoreBackup(notABackup))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("volume backup '" + notABackup + "' is not a data directory archive; expected a tar written "
                            + "by backup(BackupKind.VOLUME, ...) (it contains PG_VERSION). Fix: pass such a file, or use "
                            + "restoreDump(...) for pg_dump files.");
        }
    }
}
