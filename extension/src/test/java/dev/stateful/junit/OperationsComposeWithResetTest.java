package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.StartupException;
import dev.stateful.StatefulPostgres;
import dev.stateful.snapshot.BackupKind;
import dev.stateful.testing.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation a test may do to a class-level handle composes with the default reset: the
 * next test starts from the class's prepared state again ({@code @MigratedTo("3")}: two seeded
 * accounts, no scratch table), after the volume was removed, the container recreated with an
 * image that cannot start on it, the baseline dropped, the server killed, another volume or a
 * backup of another database restored.
 */
@WithVolume
@MigratedTo(value = "3", locations = "classpath:stateful-test/migrations/basic")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsComposeWithResetTest {
    private static final String OLDER = "postgres:15-bookworm";

    @Test
    @Order(1)
    void removeVolume(StatefulPostgres db) throws SQLException {
        assertPreparedState(db);
        scribble(db);
        db.removeVolume();
    }

    @Test
    @Order(2)
    void recreateWithAnImageThatCannotStartOnTheVolume(StatefulPostgres db) throws SQLException {
        assertPreparedState(db);
        scribble(db);
        assertThatThrownBy(() -> db.recreate(OLDER)).isInstanceOf(StartupException.class);
    }

    @Test
    @Order(3)
    void dropTheBaseline(StatefulPostgres db) throws SQLException {
        assertPreparedState(db);
        assertThat(db.snapshots().names()).contains(ManagedHandle.BASELINE);
        scribble(db);
        db.snapshots().drop(ManagedHandle.BASELINE);
    }

    @Test
    @Order(4)
    void kill(StatefulPostgres db) throws SQLException {
        assertPreparedState(db);
        scribble(db);
        db.kill();
    }

    @Test
    @Order(5)
    void restoreVolume(StatefulPostgres db) throws SQLException {
        assertPreparedState(db);
        db.snapshots().snapshotVolume("before-scribble");
        scribble(db);
        db.snapshots().restoreVolume("before-scribble");
        scribble(db);
    }

    @Test
    @Order(6)
    void restoreAVolumeBackupOfAnotherDatabase(StatefulPostgres db, @TempDir Path dir) throws Exception {
        assertPreparedState(db);
        Path backup = dir.resolve("other.tar");
        try (StatefulPostgres other = StatefulPostgres.builder().nameHint("OtherDatabase").start()) {
            Sql.run(other, "CREATE TABLE scratch (id int)");
            other.backups().backup(BackupKind.VOLUME, backup);
        }
        assertThat(Files.size(backup)).isPositive();
        db.backups().restore(backup);
        assertThat(tableExists(db, "accounts")).as("the other database replaced this one").isFalse();
    }

    @Test
    @Order(7)
    void stop(StatefulPostgres db) throws SQLException {
        assertPreparedState(db);
        scribble(db);
        db.stop();
    }

    @Test
    @Order(8)
    void lastTestStartsFromThePreparedStateToo(StatefulPostgres db) throws SQLException {
        assertPreparedState(db);
        assertThat(db.migrations().schemaVersion()).contains("3");
    }

    private static void assertPreparedState(StatefulPostgres db) throws SQLException {
        assertThat(Sql.count(db, "accounts")).as("accounts seeded by V3").isEqualTo(2);
        assertThat(tableExists(db, "scratch")).as("what the previous test wrote").isFalse();
    }

    private static void scribble(StatefulPostgres db) throws SQLException {
        Sql.run(db, "CREATE TABLE IF NOT EXISTS scratch (id int)", "INSERT INTO scratch VALUES (1)", "DELETE FROM accounts");
    }

    private static boolean tableExists(StatefulPostgres db, String table) throws SQLException {
        return Sql.number(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + table + "'") > 0;
    }
}
