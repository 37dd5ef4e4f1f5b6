package dev.stateful.junit;

import static dev.stateful.junit.SharedServerIsolationTest.query;
import static dev.stateful.junit.SharedServerIsolationTest.queryUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.engine.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code stateful.server=shared}, the default: classes get a database of their own on one server per run,
 * never see each other's writes (also running in parallel), each test starts from its class's
 * baseline, a class's databases are dropped after it and the server after the run; a class that
 * asks for a server of its own gets one, and an operation on the whole server is refused before
 * any side effect.
 */
@Tag("docker")
@ExtendWith(AccountsDumpTurns.class)
class SharedServerTest {
    /** The default settings: classes share. */
    private static final Map<String, String> SHARED = Map.of();
    /** The dump's three rows and the two V3 seeds. */
    private static final String EMAILS = "a@dump,b@dump,c@dump,ada@example.com,linus@example.com";
    private static final String INSTALLED_ON =
            "SELECT string_agg(installed_on::text, ',' ORDER BY installed_rank) FROM flyway_schema_history";
    private static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);

    @Test
    void classesInParallelShareOneServerAndSeeOnlyTheirOwnDatabase() {
        Captured.clear();
        BOTH_RUNNING.reset();
        Kit.run(Map.of("junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"),
                Left.class, Right.class)
                .testEvents().assertStatistics(s -> s.started(4).succeeded(4));

        assertThat(Captured.only("Left.rows")).isEqualTo("[Left-1, Left-2]");
        assertThat(Captured.only("Right.rows")).isEqualTo("[Right-1, Right-2]");
        // The second test of each class starts from the class's baseline: no table.
        assertThat(Captured.only("Left.tablesInSecondTest")).isEqualTo("0");
        assertThat(Captured.only("Right.tablesInSecondTest")).isEqualTo("0");
        String container = Captured.only("Left.container");
        assertThat(Captured.only("Right.container")).isEqualTo(container);
        assertThat(Captured.only("Left.database")).startsWith("c_").isNotEqualTo(Captured.only("Right.database"));
        String volume = Captured.only("Left.volume");
        assertThat(volume).startsWith("stateful-shared-");
        // Removed at the end of the run.
        assertThat(DockerEngine.get().status(container).exists()).isFalse();
        assertThat(DockerEngine.get().volumeExists(volume)).isFalse();
    }

    @Test
    void aClassDatabaseIsDroppedAfterTheClassAndAClassAskingForItsOwnServerGetsOne() throws Exception {
        Captured.clear();
        MigratedToRestoredFromTest.makeDump();
        Kit.run(SHARED, First.class, Second.class, Prepared.class, PreparedAgain.class, Refused.class, Durable.class,
                        RestartsItself.class, AsksForItsOwn.class)
                .testEvents().assertStatistics(s -> s.started(9).succeeded(9));

        String first = Captured.only("First.database");
        assertThat(Captured.only("Second.container")).isEqualTo(Captured.only("First.container"));
        String databasesSeenBySecond = Captured.only("Second.databases");
        assertThat(databasesSeenBySecond).contains(Captured.only("Second.database")).doesNotContain(first);
        // @RestoredFrom and @MigratedTo: the state has a shared server of its own, the class a database on it.
        assertThat(Captured.only("Prepared.container")).isNotEqualTo(Captured.only("First.container"));
        assertThat(Captured.only("PreparedAgain.container")).isEqualTo(Captured.only("Prepared.container"));
        assertThat(Captured.all("Prepared.emails")).containsExactly(EMAILS, EMAILS);
        assertThat(Captured.only("Prepared.version")).isEqualTo("3");
        // The second class with the same state is a copy of the first one's template: the migrations did not run again.
        assertThat(Captured.only("PreparedAgain.emails")).isEqualTo(EMAILS);
        assertThat(Captured.only("PreparedAgain.database")).isNotEqualTo(Captured.only("Prepared.database"));
        assertThat(Captured.only("PreparedAgain.installedOn")).isEqualTo(Captured.only("Prepared.installedOn"));
        // durable = true needs a server of its own.
        assertThat(Captured.only("Durable.container")).isNotEqualTo(Captured.only("First.container"));
        assertThat(Captured.only("Durable.database")).isEqualTo("test");
        // A class whose code restarts the server gets one of its own, decided from its class file; so does ownServer = true.
        assertThat(Captured.only("RestartsItself.container")).isNotEqualTo(Captured.only("First.container"));
        assertThat(Captured.only("RestartsItself.database")).isEqualTo("test");
        assertThat(Captured.only("RestartsItself.rowAfterRestart")).isEqualTo("1");
        assertThat(Captured.only("AsksForItsOwn.container")).isNotEqualTo(Captured.only("First.container"))
                .isNotEqualTo(Captured.only("RestartsItself.container"));

        // Operations on the whole server are refused before any side effect.
        String database = Captured.only("Refused.database");
        assertThat(Captured.only("restart()")).isEqualTo("restart() on " + Captured.only("Refused.handle")
                + ": this handle's database '" + database + "' lives on a Postgres server shared with other test "
                + "classes (stateful.server=shared, the default), and restart() would act on that whole server; "
                + "expected a server of its own for this operation. Fix: give the class @WithVolume(ownServer = true) "
                + "(or run with stateful.server=own).");
        for (String operation : List.of("stop()", "kill()", "recreate()", "recreate(image)", "removeVolume()",
                "snapshots().snapshotVolume(\"v1\")", "backups().backup(VOLUME)")) {
            assertThat(Captured.only(operation)).startsWith(operation + " on ").contains("@WithVolume(ownServer = true)");
        }
        assertThat(Captured.only("Refused.rowAfterwards")).isEqualTo("1");
        assertThat(Captured.only("Refused.backupWritten")).isEqualTo("false");
    }

    @Test
    void aLaterRunStartsThePreparedStatesServerFromTheStateCacheAndAChangedDumpIsAMiss() throws Exception {
        MigratedToRestoredFromTest.makeDump();
        List<String> installedOn = new ArrayList<>();
        List<String> containers = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            if (run == 3) {
                MigratedToRestoredFromTest.makeDump();
            }
            Captured.clear();
            Kit.run(SHARED, PreparedAgain.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
            assertThat(Captured.only("PreparedAgain.emails")).isEqualTo(EMAILS);
            assertThat(Captured.only("PreparedAgain.database")).startsWith("c_");
            installedOn.add(Captured.only("PreparedAgain.installedOn"));
            containers.add(Captured.only("PreparedAgain.container"));
        }
        // The second run's server started from the state cache: the migrations did not run again.
        assertThat(installedOn.get(1)).isEqualTo(installedOn.get(0));
        // A new dump is another state: built again.
        assertThat(installedOn.get(2)).isNotEqualTo(installedOn.get(0));
        // Each run's server is its own, removed at the end of the run.
        assertThat(containers).doesNotHaveDuplicates();
        for (String container : containers) {
            assertThat(DockerEngine.get().status(container).exists()).isFalse();
        }
    }

    static void capture(String who, StatefulPostgres db) {
        Captured.add(who + ".container", db.containerId());
        Captured.add(who + ".database", db.database());
        Captured.add(who + ".volume", db.volumeName());
    }

    static void writeAndReadMarkers(String who, StatefulPostgres db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE markers (owner text)");
            s.execute("INSERT INTO markers VALUES ('" + who + "-1')");
            // Both classes are inside their tests now: each has written before the other reads.
            BOTH_RUNNING.await(60, TimeUnit.SECONDS);
            s.execute("INSERT INTO markers VALUES ('" + who + "-2')");
        }
        Captured.add(who + ".rows", "[" + query(db, "SELECT owner FROM markers ORDER BY owner").replace(",", ", ") + "]");
        capture(who, db);
    }

    @WithVolume
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Left {
        @Test
        @Order(1)
        void markers(StatefulPostgres db) throws Exception {
            writeAndReadMarkers("Left", db);
        }

        @Test
        @Order(2)
        void startsFromTheBaseline(StatefulPostgres db) throws Exception {
            Captured.add("Left.tablesInSecondTest",
                    query(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        }
    }

    @WithVolume
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Right {
        @Test
        @Order(1)
        void markers(StatefulPostgres db) throws Exception {
            writeAndReadMarkers("Right", db);
        }

        @Test
        @Order(2)
        void startsFromTheBaseline(StatefulPostgres db) throws Exception {
            Captured.add("Right.tablesInSecondTest",
                    query(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        }
    }

    @WithVolume
    static class First {
        @Test
        void writes(StatefulPostgres db) throws Exception {
            capture("First", db);
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int)");
            }
        }
    }

    @WithVolume
    static class Second {
        @Test
        void listsDatabases(StatefulPostgres db) throws Exception {
            capture("Second", db);
            // First's database is dropped in the background once First ended.
            String first = Captured.only("First.database");
            Captured.add("Second.databases", queryUntil(db, "SELECT datname FROM pg_database ORDER BY datname",
                    names -> !List.of(names.split(",")).contains(first)));
        }
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Prepared {
        @Test
        @Order(1)
        void restoredAndMigrated(StatefulPostgres db) throws Exception {
            capture("Prepared", db);
            Captured.add("Prepared.version", db.migrations().schemaVersion().orElse("none"));
            Captured.add("Prepared.emails", query(db, "SELECT email FROM accounts ORDER BY id"));
            Captured.add("Prepared.installedOn", query(db, INSTALLED_ON));
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM accounts");
            }
        }

        @Test
        @Order(2)
        void startsFromTheRestoredBaseline(StatefulPostgres db) throws Exception {
            Captured.add("Prepared.emails", query(db, "SELECT email FROM accounts ORDER BY id"));
        }
    }

    @WithVolume
    @RestoredFrom("file:" + MigratedToRestoredFromTest.DUMP)
    @MigratedTo(locations = MigratedToRestoredFromTest.BASIC)
    static class PreparedAgain {
        @Test
        void copiedFromTheTemplate(StatefulPostgres db) throws Exception {
            capture("PreparedAgain", db);
            Captured.add("PreparedAgain.emails", query(db, "SELECT email FROM accounts ORDER BY id"));
            Captured.add("PreparedAgain.installedOn", query(db, INSTALLED_ON));
        }
    }

    @WithVolume(durable = true)
    static class Durable {
        @Test
        void ownServer(StatefulPostgres db) {
            capture("Durable", db);
        }
    }

    @WithVolume
    static class Refused {
        @Test
        void wholeServerOperations(StatefulPostgres db) throws Exception {
            capture("Refused", db);
            Captured.add("Refused.handle", db.toString());
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id int)");
                s.execute("INSERT INTO kept VALUES (1)");
            }
            Path backup = Files.createTempDirectory("stateful-shared").resolve("volume.tar");
            // Called from a helper class, which the class-file scan does not read: the class shares, the calls fail.
            Map<String, SharedServerSampleHelper.ThrowingCall> calls = SharedServerSampleHelper.wholeServerCalls(db, backup);
            for (Map.Entry<String, SharedServerSampleHelper.ThrowingCall> call : calls.entrySet()) {
                try {
                    call.getValue().run();
                    Captured.add(call.getKey(), "no exception");
                } catch (InvalidArgumentException e) {
                    Captured.add(call.getKey(), e.getMessage());
                }
            }
            Captured.add("Refused.rowAfterwards", query(db, "SELECT count(*) FROM kept"));
            Captured.add("Refused.backupWritten", String.valueOf(Files.exists(backup)));
        }
    }

    @WithVolume
    static class RestartsItself {
        @Test
        void restarts(StatefulPostgres db) throws Exception {
            capture("RestartsItself", db);
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id int)");
                s.execute("INSERT INTO kept VALUES (1)");
            }
            db.restart();
            Captured.add("RestartsItself.rowAfterRestart", query(db, "SELECT count(*) FROM kept"));
        }
    }

    @WithVolume(ownServer = true)
    static class AsksForItsOwn {
        @Test
        void ownServer(StatefulPostgres db) {
            capture("AsksForItsOwn", db);
        }
    }
}
