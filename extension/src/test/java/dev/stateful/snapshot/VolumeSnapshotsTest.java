package dev.stateful.snapshot;

import dev.stateful.StatefulPostgres;
import dev.stateful.error.InvalidArgumentException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.testing.Sql;
import java.sql.SQLException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Whole-data-directory snapshots through helper containers, against a real engine. */
@Tag("docker")
class VolumeSnapshotsTest {

    @Test
    void restoreVolumeBringsBackRolesDatabasesAndRows() throws SQLException {
        String snapshotVolume;
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("VolumeSnapshotsTest").start()) {
            Sql.run(db, "CREATE ROLE reporting", "CREATE DATABASE analytics", "CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2)");

            db.snapshots().snapshotVolume("with-role");
            snapshotVolume = db.volumeName() + "--snap-with-role";
            assertThat(DockerEngine.get().volumeExists(snapshotVolume)).isTrue();
            assertThat(db.isRunning()).as("started again after the copy").isTrue();

            Sql.run(db, "DROP ROLE reporting", "DROP DATABASE analytics", "DELETE FROM t");
            db.snapshots().restoreVolume("with-role");

            assertThat(Sql.number(db, "SELECT count(*) FROM t")).isEqualTo(2);
            assertThat(Sql.number(db, "SELECT count(*) FROM pg_roles WHERE rolname = 'reporting'")).isEqualTo(1);
            assertThat(Sql.number(db, "SELECT count(*) FROM pg_database WHERE datname = 'analytics'")).isEqualTo(1);
        }
        assertThat(DockerEngine.get().volumeExists(snapshotVolume)).as("removed with the handle").isFalse();
    }

    @Test
    void restoringAMissingVolumeSnapshotSaysWhichVolumeItLookedFor() {
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("VolumeSnapshotsMissing").build()) {
            assertThatThrownBy(() -> db.snapshots().restoreVolume("never"))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("volume snapshot 'never' of volume '" + db.volumeName() + "' does not exist (no volume '"
                            + db.volumeName() + "--snap-never'); expected one taken with snapshotVolume(\"never\"). "
                            + "Fix: take it first.");
        }
    }
}
