package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.error.MigrationException;
import dev.stateful.StatefulPostgres;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.testing.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What {@code @RestoredFrom} and {@code @MigratedTo} build: on a class, restore then migrate;
 * on a method, from the class's baseline, kept as an {@code m_} snapshot for the next method
 * asking the same; and the message for a method asking a version below the class's. The cache
 * is off here (see {@link StateCacheAnnotationTest} for it).
 */
@Tag("docker")
@Tag("also-on-junit6")
@ExtendWith(AccountsDumpTurns.class)
class MigratedToRestoredFromTest {
    static final String BASIC = "classpath:stateful-test/migrations/basic";
    /** Made by {@link #makeDump()}: accounts at version 1 of {@link #BASIC}, with three rows. */
    static final String DUMP = "target/stateful-test-dumps/accounts-v1.dump";

    private static EngineExecutionResults results;

    @BeforeAll
    static void runExamples() throws Exception {
        makeDump();
        // MethodLevel takes its location from stateful.flyway.locations, as a project would set it once.
        results = Kit.run(Map.of("stateful.cache", "off", "stateful.flyway.locations", BASIC), RestoreThenMigrate.class, MethodLevel.class, Backwards.class);
    }

    /** A dump at version 1 (history table included), so the class's migrations continue from it. */
    static void makeDump() throws Exception {
        Path dump = Path.of(DUMP);
        Files.createDirectories(dump.getParent());
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("dump-maker").start()) {
            db.migrations().withSettings(MigrationSettings.defaults().withLocations(BASIC)).migrateTo("1");
            Sql.run(db, "INSERT INTO accounts (email) VALUES ('a@dump'), ('b@dump'), ('c@dump')");
            db.dumps().dump(dump);
        }
    }

    @Test
    void examplesPassExceptTheBackwardsOne() {
        results.testEvents().assertStatistics(s -> s.started(5).succeeded(4).failed(1));
        results.containerEvents().assertStatistics(s -> s.failed(0));
    }

    @Test
    void classLevelRestoresTheDumpThenMigrates() {
        // V2 (balance column) and V3 (two seeded rows) ran on top of the dump's three rows.
        assertThat(Captured.only("prep.restore.version")).isEqualTo("3");
        assertThat(Captured.only("prep.restore.emails"))
                .isEqualTo("[a@dump, b@dump, c@dump, ada@example.com, linus@example.com]");
        assertThat(Captured.only("prep.restore.balances")).isEqualTo("[0, 0, 0, 100, 250]");
    }

    @Test
    void methodLevelStateStartsThereAndTheTestMigratesFurther() {
        assertThat(Captured.only("prep.method.versionAtStart")).isEqualTo("1");
        assertThat(Captured.only("prep.method.balanceAtStart")).isEqualTo("false");
        assertThat(Captured.only("prep.method.versionAfterMigrateTo2")).isEqualTo("2");
        assertThat(Captured.only("prep.method.balanceAfterMigrateTo2")).isEqualTo("true");
    }

    @Test
    void aSecondMethodWithTheSameStateRestoresItsSnapshot() {
        String snapshot = Captured.only("prep.method.snapshotsOfFirst");
        assertThat(snapshot).matches("\\[m_[0-9a-f]{12}]");
        assertThat(Captured.only("prep.method.snapshotsOfSecond")).as("the same snapshot, none added")
                .isEqualTo(snapshot);
        // At 1 again, although the first method had migrated to 2: restored, not left over.
        assertThat(Captured.only("prep.method.versionOfSecond")).isEqualTo("1");
        assertThat(Captured.only("prep.method.rowsOfSecond")).isEqualTo("0");
    }

    @Test
    void aPlainMethodAfterwardsGetsTheClassBaseline() {
        assertThat(Captured.only("prep.method.versionOfPlain")).isEqualTo("none");
        assertThat(Captured.only("prep.method.accountsOfPlain")).isEqualTo("false");
    }

    @Test
    void aMethodAskingBelowTheClassVersionGetsTheMigrationMessage() {
        Throwable failure = Kit.onlyFailure(results);
        // On the shared server (the default) the class's database has a name of its own.
        String database = failure.getMessage().replaceFirst("(?s)^Cannot migrate database '([^']+)'.*", "$1");
        assertThat(database).startsWith("c_");
        assertThat(failure).isInstanceOf(MigrationException.class).hasMessage(
                "Cannot migrate database '" + database + "' back to version 1: it is at version 3 already, and "
                        + "Flyway migrates forward only. Expected a target at or above 3. Fix: start from a database below version 1 "
                        + "(a fresh volume, or a dump restored with restoreDump made at that version), then call "
                        + "migrateTo(\"1\").");
        assertThat(Captured.all("prep.backwards.ran")).as("the test body never ran").isEmpty();
    }

    // ------------------------------------------------------------------ examples run by the kit

    @WithVolume
    @RestoredFrom("file:" + DUMP)
    @MigratedTo(locations = BASIC)
    static class RestoreThenMigrate {
        @Test
        void test(StatefulPostgres db) throws Exception {
            Captured.add("prep.restore.version", db.migrations().schemaVersion().orElse("none"));
            Captured.add("prep.restore.emails", Sql.column(db, "SELECT email FROM accounts ORDER BY id"));
            Captured.add("prep.restore.balances", Sql.column(db, "SELECT balance_cents FROM accounts ORDER BY id"));
        }
    }

    @WithVolume
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class MethodLevel {
        @Test
        @Order(1)
        @MigratedTo("1")
        void first(StatefulPostgres db) throws Exception {
            Captured.add("prep.method.versionAtStart", db.migrations().schemaVersion().orElse("none"));
            Captured.add("prep.method.balanceAtStart", hasColumn(db, "accounts", "balance_cents"));
            // The handle's own migrateTo uses the stateful.flyway.* parameters too.
            db.migrateTo("2");
            Captured.add("prep.method.versionAfterMigrateTo2", db.migrations().schemaVersion().orElse("none"));
            Captured.add("prep.method.balanceAfterMigrateTo2", hasColumn(db, "accounts", "balance_cents"));
            Captured.add("prep.method.snapshotsOfFirst", methodSnapshots(db));
            Sql.run(db, "INSERT INTO accounts (email) VALUES ('left@over')");
        }

        @Test
        @Order(2)
        @MigratedTo("1")
        void second(StatefulPostgres db) throws Exception {
            Captured.add("prep.method.snapshotsOfSecond", methodSnapshots(db));
            Captured.add("prep.method.versionOfSecond", db.migrations().schemaVersion().orElse("none"));
            Captured.add("prep.method.rowsOfSecond", Sql.text(db, "SELECT count(*) FROM accounts"));
        }

        @Test
        @Order(3)
        void plain(StatefulPostgres db) throws Exception {
            Captured.add("prep.method.versionOfPlain", db.migrations().schemaVersion().orElse("none"));
            Captured.add("prep.method.accountsOfPlain", Sql.tableExists(db, "accounts"));
        }
    }

    @WithVolume
    @MigratedTo(locations = BASIC)
    static class Backwards {
        @Test
        @MigratedTo(value = "1", locations = BASIC)
        void test() {
            Captured.add("prep.backwards.ran", true);
        }
    }

    static boolean hasColumn(StatefulPostgres db, String table, String column) throws Exception {
        return !Sql.column(db, "SELECT 1 FROM information_schema.columns WHERE table_name = '" + table
                + "' AND column_name = '" + column + "'").isEmpty();
    }

    static String methodSnapshots(StatefulPostgres db) {
        return db.snapshots().names().stream().filter(n -> n.startsWith("m_")).toList().toString();
    }
}
