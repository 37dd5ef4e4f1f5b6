package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.StatefulPostgres;
import dev.stateful.junit.MigratedTo;
import dev.stateful.junit.WithVolume;
import dev.stateful.snapshot.BackupKind;
import dev.stateful.testing.Sql;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release procedure "back up, migrate, restore the backup if the migration fails": V2
 * runs outside a transaction and fails half way, after it zeroed every balance. Restoring the
 * backup taken before it brings back exactly the data of before.
 */
@WithVolume
@MigratedTo(value = "1", locations = "classpath:db/failing-next")
class BackupBeforeFailingMigrationTest {

    @Test
    void restoringTheBackupUndoesTheFailedMigration(StatefulPostgres db, @TempDir Path dir) throws Exception {
        Sql.run(db, "INSERT INTO accounts VALUES (1, 'ada@example.com', 1200), (2, 'linus@example.com', 340)");
        DatabaseFingerprint before = db.fingerprint();
        Path backup = db.backups().backup(BackupKind.LOGICAL, dir.resolve("before-v2.dump"));

        MigrationFailedException failure = catchThrowableOfType(MigrationFailedException.class, db::migrate);

        assertThat(failure).as("V2 fails").isNotNull();
        assertThat(failure.version()).contains("2");
        assertThat(failure.halfApplied()).isTrue();
        assertThat(db).table("accounts").column("balance_cents").hasOnlyValues("0"); // the damage

        db.backups().restore(backup);

        assertThat(db.fingerprint()).isEqualTo(before);
        assertThat(db).isAtSchemaVersion("1");
    }
}
