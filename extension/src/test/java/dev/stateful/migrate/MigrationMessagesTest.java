package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationMessagesTest {
    private static final Migration V3 = new Migration("3", "add index", "V3__add_index.sql");

    @Test
    void aRolledBackFailureSaysNothingWasApplied() {
        String m = MigrationMessages.failed("app", V3, "42P01", "relation \"x\" does not exist", 7,
                "-- a comment\nINSERT INTO x\n  VALUES (1)", false, "2", List.of(), "flyway_schema_history");

        assertThat(m).isEqualTo("Migration V3__add_index.sql (version 3) failed on database 'app': SQL state 42P01, "
                + "relation \"x\" does not exist, at line 7 in statement: INSERT INTO x VALUES (1). It ran in a "
                + "transaction that Postgres rolled back, so nothing of it was applied: the schema is still at "
                + "version 2. Fix: correct V3__add_index.sql and migrate again.");
    }

    @Test
    void aHalfAppliedFailureNamesTheInvalidIndexesAndTheWayOut() {
        String m = MigrationMessages.failed("app", V3, "23505", "could not create unique index \"u\"", -1, null,
                true, "2", List.of("public.u"), "flyway_schema_history");

        assertThat(m).startsWith("Migration V3__add_index.sql (version 3) failed on database 'app': SQL state 23505, "
                + "could not create unique index \"u\". It ran outside a transaction")
                .contains("so the schema is HALF APPLIED: the statements before the failing one stay applied, and "
                        + "these indexes were left behind INVALID: public.u; flyway_schema_history records the "
                        + "migration as failed")
                .endsWith("call migrations().repair() before migrating again.");
    }

    @Test
    void aRepeatableFailureWithoutSqlStateAndAtNoVersion() {
        String m = MigrationMessages.failed("app", new Migration(null, "view", "R__view.sql"), null, "boom", -1, "",
                false, null, List.of(), "h");

        assertThat(m).startsWith("Migration R__view.sql (repeatable) failed on database 'app': boom. ")
                .contains("the schema is still at no version.");
    }

    @Test
    void targetAndHistoryMessagesNameValueExpectationAndFix() {
        assertThat(MigrationMessages.unknownTarget("9", List.of("classpath:db/migration"), List.of("1", "2")))
                .isEqualTo("Target version 9 is unknown: the migrations in [classpath:db/migration] have versions "
                        + "1, 2. Expected one of these, or 'latest'. Fix: pass an existing version to migrateTo(...), "
                        + "or add a script V9__<description>.sql to one of the locations.");
        assertThat(MigrationMessages.unknownTarget("1", List.of("classpath:x"), List.of()))
                .contains("have no versions at all");
        assertThat(MigrationMessages.backwards("app", "1", "3"))
                .startsWith("Cannot migrate database 'app' back to version 1: it is at version 3 already")
                .contains("Fix: start from a database below version 1");
        assertThat(MigrationMessages.checksumMismatch("app", V3, 10, 20, "flyway_schema_history",
                List.of("classpath:db/migration")))
                .startsWith("Migration V3__add_index.sql (version 3) was changed after it was applied to database "
                        + "'app': its checksum in flyway_schema_history is 10, the script in [classpath:db/migration] "
                        + "now has 20.");
        assertThat(MigrationMessages.failedEarlier("app", V3, "flyway_schema_history"))
                .startsWith("Database 'app' holds a failed migration: flyway_schema_history records "
                        + "V3__add_index.sql (version 3) as failed");
    }

    @Test
    void longStatementsAreAbbreviatedOnOneLine() {
        assertThat(MigrationMessages.abbreviate("a\n  b\tc", 100)).isEqualTo("a b c");
        assertThat(MigrationMessages.abbreviate("x".repeat(50), 10)).isEqualTo("xxxxxxx...");
        assertThat(MigrationMessages.withoutLeadingComments("-- one\n  -- two\nSELECT 1 -- tail")).isEqualTo(
                "SELECT 1 -- tail");
    }

    @Test
    void migrationsPrintLikeTheirScripts() {
        assertThat(V3).hasToString("V3 add index (V3__add_index.sql)");
        assertThat(new Migration(null, "view", "R__view.sql").repeatable()).isTrue();
        assertThat(V3.versionIfAny()).contains("3");
    }
}
