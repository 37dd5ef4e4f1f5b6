package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Isolation on the shared server ({@code stateful.server=shared}), property-style: classes in
 * parallel write at random (rows, updates, deletes, identity values, DDL), and every test of each
 * class starts from its class's baseline exactly (rows of every table and the identity's value),
 * and never sees another class's rows; classes take databases made ahead from the prepared
 * state's template. Server-wide objects: a role or a database that a test creates stays on the
 * server until the end of the run, and another class's fingerprint and tables do not show it.
 * A class whose baseline a test dropped gets its state built again in its own database. The seed
 * is printed and can be fixed with {@code -Dstateful.reset-seed=N}.
 */
@Tag("docker")
@ExtendWith(AccountsDumpTurns.class)
class SharedServerIsolationTest {
    /** The dump's three rows and the two V3 seeds. */
    static final String EMAILS = "a@dump,b@dump,c@dump,ada@example.com,linus@example.com";
    static final int TESTS_PER_CLASS = 8;
    private static final Map<String, State> BASELINES = new ConcurrentHashMap<>();
    private static volatile long seed;

    @Test
    void parallelClassesWithRandomWritesEachStartFromTheirBaselineAndSeeOnlyTheirRows() throws Exception {
        seed = Long.getLong("stateful.reset-seed", System.nanoTime());
        System.out.println("SharedServerIsolationTest seed " + seed);
        Captured.clear();
        BASELINES.clear();
        MigratedToRestoredFromTest.makeDump();
        Kit.run(Map.of("stateful.server", "shared",
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "3"),
                Alpha.class, Beta.class, Gamma.class, Delta.class, WritesBeforeAll.class)
                .testEvents().assertStatistics(s -> s.started(5 * TESTS_PER_CLASS).succeeded(5 * TESTS_PER_CLASS));

        assertThat(Captured.all("mismatch")).as("tests that did not start from their class's baseline, seed " + seed)
                .isEmpty();
        assertThat(Captured.all("foreign")).as("rows of another class seen, seed " + seed).isEmpty();
        for (String who : List.of("Alpha", "Beta", "Gamma", "Delta")) {
            assertThat(Captured.only(who + ".baselineEmails")).isEqualTo(EMAILS);
        }
        // A class that writes in @BeforeAll: its baseline has that row (the database made ahead is not it).
        assertThat(Captured.only("WritesBeforeAll.baselineEmails")).isEqualTo(EMAILS + ",before-all@class-WritesBeforeAll");
        assertThat(Captured.all("database").stream().distinct().count()).as("a database per class").isEqualTo(5);
        assertThat(Captured.all("container").stream().distinct().count()).as("one server").isEqualTo(1);
    }

    @Test
    void rolesAndDatabasesATestCreatesStayOnTheServerButNoOtherClassSeesThemInItsDatabase() throws Exception {
        Captured.clear();
        MigratedToRestoredFromTest.makeDump();
        Kit.run(Map.of("stateful.server", "shared"), LooksBefore.class, CreatesServerWideObjects.class, LooksAfter.class)
                .testEvents().assertStatistics(s -> s.started(3).succeeded(3));

        // What another class's assertions see of its own database is the same before and after.
        assertThat(Captured.all("LooksAfter.fingerprint")).isEqualTo(Captured.all("LooksBefore.fingerprint"));
        assertThat(Captured.only("LooksAfter.tables")).isEqualTo(Captured.only("LooksBefore.tables"))
                .isEqualTo("public.accounts,public.flyway_schema_history");
        assertThat(Captured.only("LooksAfter.roleMayReadItsTable")).isEqualTo("f");
        // Server-wide objects stay until the end of the run, when the server goes.
        assertThat(Captured.only("LooksAfter.role")).isEqualTo("1");
        assertThat(Captured.only("LooksAfter.sideDatabase")).isEqualTo("1");
        assertThat(Captured.only("LooksAfter.classDatabaseOfCreator")).isEqualTo("0");
    }

    @Test
    void aLostBaselineIsBuiltAgainInTheClassDatabaseWithoutTouchingTheServer() throws Exception {
        Captured.clear();
        MigratedToRestoredFromTest.makeDump();
        Kit.run(Map.of("stateful.server", "shared"), DropsItsBaseline.class)
                .testEvents().assertStatistics(s -> s.started(2).succeeded(2));

        assertThat(Captured.only("DropsItsBaseline.emailsAfterRebuild")).isEqualTo(EMAILS);
        assertThat(Captured.only("DropsItsBaseline.containerAfterRebuild"))
                .isEqualTo(Captured.only("DropsItsBaseline.container"));
        assertThat(Captured.only("DropsItsBaseline.baselineAgain")).isEqualTo("true");
    }

    static String query(StatefulPostgres db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return String.join(",", values);
        }
    }

    /**
     * What {@code sql} answers once it answers {@code expected}, or at the deadline (30 s): for what
     * Stateful does in the background after a class, such as dropping its database.
     */
    static String queryUntil(StatefulPostgres db, String sql, java.util.function.Predicate<String> expected)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String answer = query(db, sql);
        while (!expected.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            answer = query(db, sql);
        }
        return answer;
    }

    /** The oracle: every table's rows and every sequence's value, read in the class's database. */
    record State(DatabaseFingerprint fingerprint, String sequences) {
        static State of(StatefulPostgres db) throws SQLException {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                DatabaseFingerprint fingerprint = DatabaseFingerprint.of(c);
                List<String> sequences = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT schemaname || '.' || sequencename || '=' || "
                        + "coalesce(last_value::text, 'null') FROM pg_sequences ORDER BY 1")) {
                    while (rs.next()) {
                        sequences.add(rs.getString(1));
                    }
                }
                return new State(fingerprint, String.join(";", sequences));
            }
        }
    }

    /** The tests every random-writing class runs. */
    abstract static class RandomWrites {
        @RepeatedTest(TESTS_PER_CLASS)
        void writesAtRandom(StatefulPostgres db, RepetitionInfo repetition) throws Exception {
            String who = getClass().getSimpleName();
            State now = State.of(db);
            State baseline = BASELINES.putIfAbsent(who, now);
            if (baseline == null) {
                Captured.add(who + ".baselineEmails", query(db, "SELECT email FROM accounts ORDER BY id"));
                Captured.add("database", db.database());
                Captured.add("container", db.containerId());
            } else if (!baseline.equals(now)) {
                Captured.add("mismatch", who + " test " + repetition.getCurrentRepetition() + ": "
                        + baseline.fingerprint().diff(now.fingerprint()) + " sequences " + now.sequences()
                        + " instead of " + baseline.sequences());
            }
            Random random = new Random(seed ^ who.hashCode() * 31L ^ repetition.getCurrentRepetition());
            List<String> done = new ArrayList<>();
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                int ops = 1 + random.nextInt(5);
                for (int i = 0; i < ops; i++) {
                    String sql = change(random, who, repetition.getCurrentRepetition() * 10 + i);
                    try {
                        s.execute(sql);
                        done.add(sql);
                    } catch (SQLException e) {
                        done.add(sql + " (failed: " + e.getSQLState() + ")");
                    }
                    Thread.sleep(random.nextInt(20)); // let the other classes' writes interleave
                }
                try (ResultSet rs = s.executeQuery("SELECT email FROM accounts WHERE email LIKE '%@class-%' "
                        + "AND email NOT LIKE '%@class-" + who + "'")) {
                    while (rs.next()) {
                        Captured.add("foreign", who + " saw " + rs.getString(1) + " after " + done);
                    }
                } catch (SQLException e) {
                    // the test dropped or changed the table: nothing of another class's to see in it
                }
            }
        }

        private static String change(Random r, String who, int n) {
            return switch (r.nextInt(9)) {
                case 0, 1 -> "INSERT INTO accounts (email, balance_cents) VALUES ('" + n + "@class-" + who + "', " + n + ")";
                case 2 -> "UPDATE accounts SET balance_cents = balance_cents + 7 WHERE id % 2 = " + r.nextInt(2);
                case 3 -> "DELETE FROM accounts WHERE id = " + (1 + r.nextInt(5));
                case 4 -> "CREATE TABLE scratch_" + n + " AS SELECT * FROM accounts";
                case 5 -> "ALTER TABLE accounts ADD COLUMN extra_" + n + " int DEFAULT " + n;
                case 6 -> "DELETE FROM flyway_schema_history WHERE installed_rank = " + (1 + r.nextInt(4));
                case 7 -> "TRUNCATE accounts";
                default -> "INSERT INTO accounts (email) SELECT g || '@class-" + who + "' FROM generate_series("
                        + (1000 + n * 10) + ", " + (1005 + n * 10) + ") g";
            };
        }
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class Alpha extends RandomWrites {
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class Beta extends RandomWrites {
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class Gamma extends RandomWrites {
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class Delta extends RandomWrites {
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class WritesBeforeAll extends RandomWrites {
        @BeforeAll
        static void addARow(StatefulPostgres db) throws SQLException {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO accounts (email) VALUES ('before-all@class-WritesBeforeAll')");
            }
        }
    }

    /** What a class's assertions can see of its own database and of the server. */
    static void look(String who, StatefulPostgres db) throws SQLException {
        try (Connection c = db.connection()) {
            Captured.add(who + ".fingerprint", DatabaseFingerprint.of(c));
            Captured.add(who + ".tables", String.join(",", DatabaseFingerprint.userTables(c)));
        }
        Captured.add(who + ".role", query(db, "SELECT count(*) FROM pg_roles WHERE rolname = 'stateful_probe_role'"));
        Captured.add(who + ".sideDatabase", query(db, "SELECT count(*) FROM pg_database WHERE datname = 'stateful_side_db'"));
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class LooksBefore {
        @Test
        void looks(StatefulPostgres db) throws SQLException {
            look("LooksBefore", db);
        }
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class CreatesServerWideObjects {
        @Test
        void creates(StatefulPostgres db) throws SQLException {
            Captured.add("CreatesServerWideObjects.database", db.database());
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE stateful_probe_role NOLOGIN");
                s.execute("GRANT SELECT ON accounts TO stateful_probe_role");
                s.execute("CREATE DATABASE stateful_side_db");
            }
        }
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class LooksAfter {
        @Test
        void looks(StatefulPostgres db) throws SQLException, InterruptedException {
            look("LooksAfter", db);
            Captured.add("LooksAfter.roleMayReadItsTable", query(db,
                    "SELECT has_table_privilege('stateful_probe_role', 'accounts', 'SELECT')"));
            // The creator's class database is dropped in the background once its class ended.
            Captured.add("LooksAfter.classDatabaseOfCreator", queryUntil(db, "SELECT count(*) FROM pg_database "
                    + "WHERE datname = '" + Captured.only("CreatesServerWideObjects.database") + "'", "0"::equals));
        }
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class DropsItsBaseline {
        @Test
        @Order(1)
        void dropsIt(StatefulPostgres db) throws SQLException {
            Captured.add("DropsItsBaseline.container", db.containerId());
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM accounts");
            }
            db.snapshots().drop(ManagedHandle.BASELINE);
        }

        @Test
        @Order(2)
        void startsFromTheStateBuiltAgain(StatefulPostgres db) throws SQLException {
            Captured.add("DropsItsBaseline.emailsAfterRebuild", query(db, "SELECT email FROM accounts ORDER BY id"));
            Captured.add("DropsItsBaseline.containerAfterRebuild", db.containerId());
            Captured.add("DropsItsBaseline.baselineAgain",
                    String.valueOf(db.snapshots().names().contains(ManagedHandle.BASELINE)));
        }
    }
}
