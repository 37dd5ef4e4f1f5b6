package dev.stateful.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.snapshot.SnapshotStore;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reset's logical slot: one temporary slot per database while the reset's session lives,
 * never a persistent one; a volume snapshot taken and restored keeps none; the database it
 * follows can still be dropped and copied (full clones, snapshots), and a database of a
 * handle on the same server is dropped with its slot gone.
 */
@StartedHandles
class ResetSlotTest {
    @Started(nameHint = "reset-slot")
    private static StatefulPostgres db;

    @BeforeAll
    static void fixture() throws SQLException {
        Sql.run(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 1000) g");
        db.snapshot("base");
    }

    private static SnapshotStore store(StatefulPostgres handle) {
        return (SnapshotStore) handle.snapshots();
    }

    private static long slots(String where) throws SQLException {
        return Sql.number(db, "SELECT count(*) FROM pg_replication_slots WHERE " + where);
    }

    @Test
    void oneTemporarySlotFollowsTheDatabaseAndNoVolumeSnapshotKeepsOne() throws SQLException {
        assertThat(store(db).decoding()).isTrue();
        assertThat(slots("database = '" + db.database() + "' AND temporary AND plugin = 'test_decoding' "
                + "AND slot_name LIKE 'stateful\\_reset\\_%'")).isEqualTo(1);
        assertThat(slots("NOT temporary")).isZero();
        DatabaseFingerprint baseline = db.fingerprint();

        db.snapshots().snapshotVolume("with-slot");
        Sql.run(db, "UPDATE t SET v = 'after the volume snapshot' WHERE id < 10");
        db.snapshots().restoreVolume("with-slot");
        // The restored files hold no slot: only sessions alive now hold temporary ones.
        assertThat(slots("NOT temporary OR active_pid IS NULL")).isZero();

        Sql.run(db, "UPDATE t SET v = 'changed' WHERE id IN (1, 500)", "DELETE FROM t WHERE id = 7",
                "INSERT INTO t VALUES (5000, 'new')");
        db.restore("base");
        assertThat(db.fingerprint().diff(baseline)).isEmpty();
        db.snapshots().drop("with-slot");
    }

    @Test
    void theDatabaseTheSlotFollowsCanBeDroppedAndCopied() throws SQLException {
        DatabaseFingerprint baseline = db.fingerprint();
        // DDL: the reset clones the whole database (drops it, or renames a pooled clone in).
        Sql.run(db, "ALTER TABLE t ADD COLUMN extra int", "UPDATE t SET v = 'x' WHERE id = 1");
        db.restore("base");
        assertThat(store(db).lastPath()).isNotEqualTo(SnapshotStore.Path.TABLES);
        assertThat(db.fingerprint().diff(baseline)).isEmpty();
        assertThat(store(db).decoding()).as("a new slot follows the new database").isTrue();
        // A snapshot copies the database (CREATE DATABASE ... TEMPLATE): the slot's session ends first.
        db.snapshot("again");
        Sql.run(db, "UPDATE t SET v = 'y' WHERE id = 2");
        db.restore("again");
        assertThat(store(db).lastPath()).isEqualTo(SnapshotStore.Path.TABLES);
        assertThat(db.fingerprint().diff(baseline)).isEmpty();
        db.snapshots().drop("again");
    }

    @Test
    void aClassDatabaseOnTheSameServerIsDroppedWithItsSlot() throws SQLException, InterruptedException {
        String database;
        try (StatefulPostgres other = StatefulPostgres.builder().onServerOf(db).database("reset_slot_other").start()) {
            database = other.database();
            Sql.run(other, "CREATE TABLE u (id int PRIMARY KEY)", "INSERT INTO u VALUES (1)");
            other.snapshot("base");
            assertThat(slots("database = '" + database + "'")).isEqualTo(1);
            Sql.run(other, "DELETE FROM u");
            other.restore("base");
            assertThat(store(other).lastPath()).isEqualTo(SnapshotStore.Path.TABLES);
            assertThat(Sql.number(other, "SELECT count(*) FROM u")).isEqualTo(1);
        }
        assertThat(slots("database = '" + database + "'")).isZero();
        // The database is dropped in the background once its handle closed (nothing refuses it: its slot is gone).
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (Sql.number(db, "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'") != 0
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Sql.number(db, "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")).isZero();
    }
}
