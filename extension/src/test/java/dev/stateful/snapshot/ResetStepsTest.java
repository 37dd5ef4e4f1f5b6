package dev.stateful.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.snapshot.ResetSteps;
import dev.stateful.internal.snapshot.SnapshotStore;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-test reset of the scenario, back to back: a test writes a few rows in a few
 * tables (100 inserts into a history table, 11 updates of the biggest table, a teller and a
 * branch updated, a note deleted), then the baseline is restored. Every restore goes table by
 * table, ends equal to the baseline, opens no session of its own per reset, and the time of each
 * step (barrier, connection, counters, decode, plan, copy, mark) is printed as median and p95; the
 * keys written are read from the reset's logical slot (accounts is over 1 MB), so four tables a round
 * go back by key.
 */
@StartedHandles
class ResetStepsTest {
    private static final int ROUNDS = 30;
    @Started(nameHint = "reset-steps")
    private static StatefulPostgres db;

    @BeforeAll
    static void fixture() throws SQLException {
        Sql.run(db, """
                CREATE TABLE branches (bid int PRIMARY KEY, bbalance int, filler text);
                CREATE TABLE tellers (tid int PRIMARY KEY, bid int REFERENCES branches, tbalance int, filler text);
                CREATE TABLE accounts (aid int PRIMARY KEY, bid int REFERENCES branches, abalance int, filler text);
                CREATE TABLE history (tid int, bid int, aid int, delta int, mtime timestamptz);
                CREATE TABLE notes (id serial PRIMARY KEY, body text);
                INSERT INTO branches SELECT g, 0, repeat('b', 80) FROM generate_series(1, 5) g;
                INSERT INTO tellers SELECT g, 1 + g % 5, 0, repeat('t', 80) FROM generate_series(1, 50) g;
                INSERT INTO accounts SELECT g, 1 + g % 5, 0, repeat('a', 80) FROM generate_series(1, 300000) g;
                INSERT INTO notes (body) SELECT 'note ' || g FROM generate_series(1, 20) g;
                """, "VACUUM ANALYZE");
        db.snapshot("base");
    }

    private static SnapshotStore store() {
        return (SnapshotStore) db.snapshots();
    }

    @Test
    void aTestWritingAFewRowsIsResetTableByTableWithoutANewSessionAndItsStepsAreTimed() throws SQLException {
        DatabaseFingerprint baseline = fingerprint();
        assertThat(store().decoding()).as("the reset follows the database with a logical slot").isTrue();
        long rowByRowBefore = store().rowByRowTables();
        long sessionsBefore = sessions();
        List<ResetSteps> steps = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO history SELECT 1 + g % 50, 1 + g % 5, g, 5, now() FROM generate_series(1, 100) g");
                s.execute("UPDATE accounts SET abalance = abalance + 5 WHERE aid IN (SELECT 1 + (g * 7919 + "
                        + round * 104729 + ") % 300000 FROM generate_series(1, 11) g)");
                s.execute("UPDATE tellers SET tbalance = tbalance + 5 WHERE tid = " + (1 + round % 50));
                s.execute("UPDATE branches SET bbalance = bbalance + 5 WHERE bid = " + (1 + round % 5));
                s.execute("DELETE FROM notes WHERE id = " + (1 + round % 20));
            }
            db.restore("base");
            assertThat(store().lastPath()).as("round %d", round).isEqualTo(SnapshotStore.Path.TABLES);
            steps.add(store().lastSteps());
        }
        System.out.println(String.format(Locale.ROOT, "ResetStepsTest: %d resets back to back; median/p95 ms: "
                        + "total %s, barrier %s, connection %s, counters %s, decode %s, plan %s, copy %s, mark %s", ROUNDS,
                stat(steps, ResetSteps::total), stat(steps, ResetSteps::barrier), stat(steps, ResetSteps::connection),
                stat(steps, ResetSteps::counters), stat(steps, ResetSteps::decode), stat(steps, ResetSteps::plan),
                stat(steps, ResetSteps::copy),
                stat(steps, ResetSteps::mark)));
        // The test opened one session per round; the resets opened none of their own per round
        // (at most one kept open for all of them).
        assertThat(sessions() - sessionsBefore).as("sessions opened on the database").isBetween((long) ROUNDS,
                ROUNDS + 1L);
        assertThat(fingerprint().diff(baseline)).isEmpty();
        // accounts, tellers, branches and notes by the keys decoding gave (history has no key: whole)
        assertThat(store().rowByRowTables() - rowByRowBefore).isEqualTo(4L * ROUNDS);
        assertThat(store().decoding()).isTrue();
    }

    private static String stat(List<ResetSteps> steps, ToLongFunction<ResetSteps> step) {
        long[] sorted = steps.stream().mapToLong(step).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f/%.1f", sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.95) - 1] / 1e6);
    }

    /** Sessions ever opened on the test's database, counted by the server (the reading's own included). */
    private static long sessions() throws SQLException {
        return Long.parseLong(Sql.text(db, "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"));
    }

    private static DatabaseFingerprint fingerprint() throws SQLException {
        try (Connection c = db.connection()) {
            return DatabaseFingerprint.of(c);
        }
    }
}
