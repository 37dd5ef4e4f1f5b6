package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.error.MigrationException;
import dev.stateful.StatefulPostgres;
import dev.stateful.migrate.Migration;
import dev.stateful.testing.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Production dumps whose Flyway history was baselined (at 1, at 41) have no script for the
 * version they are at: {@code @MigratedTo} that version is the no-op it means, and a method-level
 * {@code @MigratedTo}'s locations apply to the {@code db.migrateTo(...)} and
 * {@code db.migrations().pendingMigrations()} calls of that method.
 */
@Tag("docker")
class BaselinedDumpTargetsTest {
    static final String AT_1 = "target/stateful-test-dumps/notes-baselined-at-1.dump";
    static final String AT_41 = "target/stateful-test-dumps/notes-baselined-at-41.dump";
    static final String AFTER_BASELINE = "classpath:stateful-test/migrations/after-baseline";
    static final String AFTER_41 = "classpath:stateful-test/migrations/after-41";

    private static EngineExecutionResults results;

    @BeforeAll
    static void runExamples() throws Exception {
        makeBaselinedDump(AT_1, "1");
        makeBaselinedDump(AT_41, "41");
        Captured.clear();
        results = Kit.run(Map.of("stateful.cache", "off"), MethodLevelAtBaseline.class, ClassLevelAt41.class,
                UnknownEverywhere.class);
    }

    /** A schema made without Flyway, then `flyway baseline`, as production databases adopt Flyway. */
    static void makeBaselinedDump(String file, String version) throws Exception {
        Path dump = Path.of(file);
        Files.createDirectories(dump.getParent());
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("baselined-dump-maker").start()) {
            Sql.run(db, "CREATE TABLE notes (id int PRIMARY KEY, body text)", "INSERT INTO notes VALUES (1, 'kept')");
            Flyway.configure().dataSource(db.dataSource()).baselineVersion(version).load().baseline();
            db.dumps().dump(dump);
        }
    }

    @Test
    void examplesPassExceptTheUnknownTarget() {
        results.testEvents().assertStatistics(s -> s.started(3).succeeded(2).failed(1));
    }

    @Test
    void aMethodStartsAtTheBaselineAndMigratesWithItsOwnLocations() {
        assertThat(Captured.only("baselined.at1.versionAtStart")).isEqualTo("1");
        assertThat(Captured.only("baselined.at1.pending")).isEqualTo("[2]");
        assertThat(Captured.only("baselined.at1.versionAfter")).isEqualTo("2");
        assertThat(Captured.only("baselined.at1.columns")).isEqualTo("id,body,author");
    }

    @Test
    void aClassAt41MigratesOnWithDbMigrate() {
        assertThat(Captured.only("baselined.at41.versionAtStart")).isEqualTo("41");
        assertThat(Captured.only("baselined.at41.versionAfter")).isEqualTo("42");
        assertThat(Captured.only("baselined.at41.rows")).isEqualTo("1");
    }

    @Test
    void aTargetNeitherTheScriptsNorTheHistoryHoldIsStillRejected() {
        // 41 is listed: the restored history's baseline is a version migrateTo accepts.
        assertThat(Kit.onlyFailure(results)).isInstanceOf(MigrationException.class).hasMessage(
                "Target version 7 is unknown: the migrations in [" + AFTER_41 + "] have versions 41, 42. Expected one of "
                        + "these, or 'latest'. Fix: pass an existing version to migrateTo(...), or add a script "
                        + "V7__<description>.sql to one of the locations.");
    }

    // ------------------------------------------------------------------ examples run by the kit

    @WithVolume
    @RestoredFrom("file:" + AT_1)
    static class MethodLevelAtBaseline {
        @Test
        @MigratedTo(value = "1", locations = AFTER_BASELINE)
        void stepTest(StatefulPostgres db) throws SQLException {
            Captured.add("baselined.at1.versionAtStart", db.migrations().schemaVersion().orElse("none"));
            Captured.add("baselined.at1.pending", db.migrations().pendingMigrations().stream().map(Migration::version).toList());
            db.migrateTo("2");
            Captured.add("baselined.at1.versionAfter", db.migrations().schemaVersion().orElse("none"));
            Captured.add("baselined.at1.columns", Sql.text(db, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) "
                    + "FROM information_schema.columns WHERE table_name = 'notes'"));
        }
    }

    @WithVolume
    @RestoredFrom("file:" + AT_41)
    @MigratedTo(value = "41", locations = AFTER_41)
    static class ClassLevelAt41 {
        @Test
        void migratesOn(StatefulPostgres db) throws SQLException {
            Captured.add("baselined.at41.versionAtStart", db.migrations().schemaVersion().orElse("none"));
            db.migrate();
            Captured.add("baselined.at41.versionAfter", db.migrations().schemaVersion().orElse("none"));
            Captured.add("baselined.at41.rows", Sql.text(db, "SELECT count(*) FROM notes"));
        }
    }

    @WithVolume
    @RestoredFrom("file:" + AT_41)
    static class UnknownEverywhere {
        @Test
        @MigratedTo(value = "7", locations = AFTER_41)
        void neverRuns(StatefulPostgres db) {
            Captured.add("baselined.unknown.ran", true);
        }
    }
}
