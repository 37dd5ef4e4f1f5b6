package dev.stateful.snapshot;

import dev.stateful.StatefulPostgres;
import dev.stateful.error.InvalidArgumentException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.internal.snapshot.SnapshotStore;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Database-level snapshots with template databases, against a real server. */
@StartedHandles
class SnapshotsTest {
    @Started
    private static StatefulPostgres db;

    @BeforeEach
    void freshTable() throws SQLException {
        for (String name : db.snapshots().names()) {
            db.snapshots().drop(name);
        }
        Sql.run(db, "DROP TABLE IF EXISTS items", "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items VALUES (1), (2)");
    }

    @Test
    void restoreBringsBackTheSnapshottedRows() throws SQLException {
        db.snapshot("two_items");
        Sql.run(db, "INSERT INTO items VALUES (3)", "CREATE TABLE extra (x int)");

        db.restore("two_items");

        assertThat(Sql.count(db, "items")).isEqualTo(2);
        assertThat(Sql.tableExists(db, "extra")).isFalse();
        db.restore("two_items");
        assertThat(Sql.count(db, "items")).as("a snapshot can be restored again").isEqualTo(2);
    }

    @Test
    void snapshotAndRestoreTerminateOtherSessions() throws SQLException {
        try (Connection open = db.connection()) {
            db.snapshot("with_open_session");
            assertThat(open.isValid(1)).isFalse();
        }
        try (Connection open = db.connection()) {
            Sql.run(db, "DELETE FROM items");
            db.restore("with_open_session");
            assertThat(open.isValid(1)).isFalse();
        }
        assertThat(Sql.count(db, "items")).isEqualTo(2);
    }

    @Test
    void theFirstRestoreThatNeedsAFullCloneCopiesTheSnapshotAndFillsThePool() throws Exception {
        db.snapshot("first");
        assertThat(Sql.number(db, "SELECT count(*) FROM pg_database WHERE datname LIKE 'test\\_\\_clone\\_%'"))
                .as("no clone made while restores go table by table").isZero();
        Sql.run(db, "CREATE TABLE first_change (id int)"); // DDL: needs a full clone

        db.restore("first");

        assertThat(((SnapshotStore) db.snapshots()).lastPath()).isEqualTo(SnapshotStore.Path.COPY);
        assertThat(Sql.number(db, "SELECT count(*) FROM pg_class WHERE relname = 'first_change'")).isZero();
        assertThat(awaitCloneOid()).as("the pool is filled for the next one").isPositive();
        db.snapshots().drop("first");
    }

    @Test
    void aRestoreSwapsInAReadyCloneFromThePool() throws Exception {
        db.snapshot("pooled");
        Sql.run(db, "CREATE TABLE pool_filler (id int)");
        db.restore("pooled"); // the first full clone fills the pool
        long clone = awaitCloneOid();
        Sql.run(db, "DELETE FROM items");
        Sql.run(db, "CREATE TABLE schema_change (id int)"); // DDL: a table-by-table reset cannot undo it

        db.restore("pooled");

        assertThat(Sql.number(db, "SELECT oid FROM pg_database WHERE datname = current_database()")).isEqualTo(clone);
        assertThat(Sql.count(db, "items")).isEqualTo(2);
        assertThat(awaitCloneOid()).as("the pool is refilled").isNotEqualTo(clone);
    }

    @Test
    void withoutAPoolEachRestoreCopiesTheSnapshot() throws SQLException {
        try (StatefulPostgres unpooled = StatefulPostgres.builder().nameHint("SnapshotsUnpooled").snapshotPool(0).start()) {
            Sql.run(unpooled, "CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)");
            unpooled.snapshot("base");
            Sql.run(unpooled, "INSERT INTO t VALUES (2)");
            unpooled.restore("base");
            assertThat(Sql.count(unpooled, "t")).isEqualTo(1);
            assertThat(Sql.number(unpooled, "SELECT count(*) FROM pg_database WHERE datname LIKE '%clone%'"))
                    .as("no pooled clones").isZero();
        }
    }

    @Test
    void listsAndDropsSnapshots() {
        db.snapshot("a");
        db.snapshot("b");
        assertThat(db.snapshots().names()).containsExactly("a", "b");
        db.snapshots().drop("a");
        db.snapshots().drop("missing");
        assertThat(db.snapshots().names()).containsExactly("b");
    }

    @Test
    void restoringAMissingSnapshotNamesTheOnesThatExist() {
        db.snapshot("baseline");
        assertThatThrownBy(() -> db.restore("nope"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("snapshot 'nope' does not exist for database 'test'; expected one of [baseline]. "
                        + "Fix: call snapshot(\"nope\") first.");
    }

    @Test
    void acceptsNamesAVolumeNameWouldHoldAndQuotesThem() throws SQLException {
        db.snapshot("with-role");
        db.snapshot("V2.1_Release");
        Sql.run(db, "INSERT INTO items VALUES (99)");
        db.restore("with-role");
        assertThat(Sql.count(db, "items")).as("the row written after the snapshot is gone").isEqualTo(2);
        assertThat(db.snapshots().names()).contains("with-role", "V2.1_Release");
        db.snapshots().drop("with-role");
        db.snapshots().drop("V2.1_Release");
        assertThat(db.snapshots().names()).doesNotContain("with-role", "V2.1_Release");
    }

    @Test
    void rejectsInvalidNamesBeforeTouchingTheServer() {
        for (String bad : new String[] {"-starts-with-dash", "has space", "semi;colon", "", "x".repeat(41)}) {
            assertThatThrownBy(() -> db.snapshot(bad))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("snapshot name '" + bad + "' is invalid; expected 1 to 40 characters of letters, digits, "
                            + "'_', '-' and '.', starting with a letter or digit. Fix: use a name such as 'baseline' "
                            + "or 'with-role'.");
        }
    }

    @Test
    void rejectsANameThatMakesTheSnapshotDatabaseNameTooLong() {
        try (StatefulPostgres longName = StatefulPostgres.builder().nameHint("SnapshotsLongDb")
                .database("d".repeat(30)).build()) {
            String name = "n".repeat(30);
            assertThatThrownBy(() -> longName.snapshot(name))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("snapshot name '" + name + "' is too long for database '" + "d".repeat(30) + "': the "
                            + "snapshot database '" + "d".repeat(30) + "__snap_" + name + "' has 67 bytes; expected at "
                            + "most 63, because Postgres cuts longer names. Fix: use a name of at most 26 characters.");
        }
    }

    @Test
    void nextTransactionIdMovesOnlyWithWrites() throws SQLException {
        long before = db.snapshots().nextTransactionId();
        Sql.count(db, "items");
        assertThat(db.snapshots().nextTransactionId()).as("reads assign no transaction id").isEqualTo(before);
        Sql.run(db, "INSERT INTO items VALUES (10)");
        assertThat(db.snapshots().nextTransactionId()).isGreaterThan(before);
    }

    private static long awaitCloneOid() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            long oid = Sql.number(db, "SELECT coalesce(max(oid::text::bigint), 0) FROM pg_database WHERE datname LIKE 'test\\_\\_clone\\_%'");
            if (oid != 0) {
                return oid;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pooled clone appeared within 30 s");
    }
}
