package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.MigrationException;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.StatefulPostgres;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flyway migrations against a real server: one container for the class, a clean schema per test. */
@StartedHandles
class MigrationsTest {
    private static final String BASE = "classpath:stateful-test/migrations/";
    private static final MigrationSettings BASIC = MigrationSettings.defaults().withLocations(BASE + "basic");

    @Started(nameHint = "migrations")
    private static StatefulPostgres db;

    @BeforeEach
    void cleanSchemas() throws SQLException {
        Sql.run(db, "DROP SCHEMA IF EXISTS public, app CASCADE", "CREATE SCHEMA public");
    }

    @Test
    void migratesToTheLatestVersionInOrderThenRunsRepeatables() throws SQLException {
        MigrationResult result = db.migrations().withSettings(BASIC).migrate();

        assertThat(result.from()).isEmpty();
        assertThat(result.to()).contains("3");
        assertThat(result.applied()).extracting(Migration::toString).containsExactly(
                "V1 create accounts (V1__create_accounts.sql)", "V2 add balance (V2__add_balance.sql)",
                "V3 seed accounts (V3__seed_accounts.sql)", "R account view (R__account_view.sql)");
        assertThat(db.migrations().withSettings(BASIC).schemaVersion()).contains("3");
        assertThat(db.migrations().withSettings(BASIC).pendingMigrations()).isEmpty();
        assertThat(Sql.text(db, "SELECT string_agg(email || ':' || balance_cents, ',' ORDER BY id) FROM accounts"))
                .isEqualTo("ada@example.com:100,linus@example.com:250");
        assertThat(Sql.text(db, "SELECT count(*) FROM account_emails")).isEqualTo("2");
    }

    @Test
    void migratesToAVersionAndOnwardsStepByStep() throws SQLException {
        MigrationResult first = db.migrations().withSettings(BASIC).migrateTo("1");

        assertThat(first.to()).contains("1");
        assertThat(first.applied()).extracting(Migration::script)
                .containsExactly("V1__create_accounts.sql", "R__account_view.sql");
        assertThat(Sql.text(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' "
                + "AND column_name = 'balance_cents'")).isEqualTo("0");
        assertThat(db.migrations().withSettings(BASIC).pendingMigrations()).extracting(Migration::version).containsExactly("2", "3");

        MigrationResult second = db.migrations().withSettings(BASIC).migrateTo("2");

        assertThat(second.from()).contains("1");
        assertThat(second.to()).contains("2");
        assertThat(second.applied()).extracting(Migration::script).containsExactly("V2__add_balance.sql");
        assertThat(db.migrations().withSettings(BASIC).schemaVersion()).contains("2");
    }

    @Test
    void theSettingsTargetStopsPlainMigrate() {
        MigrationResult result = db.migrations().withSettings(BASIC.withTarget("2")).migrate();

        assertThat(result.to()).contains("2");
        assertThat(db.migrations().withSettings(BASIC).pendingMigrations()).extracting(Migration::script)
                .containsExactly("V3__seed_accounts.sql");
    }

    @Test
    void aFreshDatabaseHasNoVersionAndEverythingPending() {
        assertThat(db.migrations().withSettings(BASIC).schemaVersion()).isEmpty();
        assertThat(db.migrations().withSettings(BASIC).pendingMigrations()).extracting(Migration::toString).containsExactly(
                "V1 create accounts (V1__create_accounts.sql)", "V2 add balance (V2__add_balance.sql)",
                "V3 seed accounts (V3__seed_accounts.sql)", "R account view (R__account_view.sql)");
        assertThat(db.migrations().withSettings(BASIC).availableVersions()).containsExactly("1", "2", "3");
    }

    @Test
    void anUnknownTargetListsTheVersionsThereAre() {
        assertThatThrownBy(() -> db.migrations().withSettings(BASIC).migrateTo("9"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Target version 9 is unknown")
                .hasMessageContaining("[" + BASE + "basic] have versions 1, 2, 3")
                .hasMessageContaining("Fix: pass an existing version");
        assertThat(db.migrations().withSettings(BASIC).schemaVersion()).isEmpty();
    }

    @Test
    void migratingBackwardsIsRefused() {
        db.migrations().withSettings(BASIC).migrate();

        assertThatThrownBy(() -> db.migrations().withSettings(BASIC).migrateTo("1"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Cannot migrate database 'test' back to version 1: it is at version 3 already")
                .hasMessageContaining("Expected a target at or above 3");
        assertThat(db.migrations().withSettings(BASIC).schemaVersion()).contains("3");
    }

    @Test
    void anAppliedScriptThatWasEditedIsAChecksumMismatch() throws SQLException {
        db.migrations().withSettings(MigrationSettings.defaults().withLocations(BASE + "checksum-original")).migrate();

        Migrations edited = db.migrations().withSettings(MigrationSettings.defaults().withLocations(BASE + "checksum-edited"));
        assertThatThrownBy(edited::migrate)
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration V1__create_notes.sql (version 1) was changed after it was applied "
                        + "to database 'test'")
                .hasMessageMatching("(?s).*its checksum in flyway_schema_history is -?\\d+, the script in \\["
                        + BASE + "checksum-edited\\] now has -?\\d+.*")
                .hasMessageContaining("Fix: revert the edit");
        assertThat(Sql.text(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' "
                + "AND column_name = 'author'")).isEqualTo("0");
    }

    @Test
    void aFailingTransactionalMigrationIsRolledBackWhole() throws SQLException {
        Migrations failing = db.migrations().withSettings(MigrationSettings.defaults().withLocations(BASE + "failing"));

        assertThatThrownBy(failing::migrate)
                .isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                    assertThat(e.script()).isEqualTo("V2__add_items_price.sql");
                    assertThat(e.version()).contains("2");
                    assertThat(e.sqlState()).contains("42P01");
                    assertThat(e.postgresMessage()).isEqualTo("relation \"item_prices\" does not exist");
                    assertThat(e.halfApplied()).isFalse();
                })
                .hasMessageContaining("Migration V2__add_items_price.sql (version 2) failed on database 'test': "
                        + "SQL state 42P01, relation \"item_prices\" does not exist, at line 4 in statement: "
                        + "INSERT INTO item_prices")
                .hasMessageContaining("rolled back, so nothing of it was applied: the schema is still at version 1")
                .hasMessageContaining("Fix: correct V2__add_items_price.sql and migrate again");
        assertThat(failing.schemaVersion()).contains("1");
        assertThat(Sql.text(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' "
                + "AND column_name = 'price_cents'")).isEqualTo("0");
        // Nothing was recorded as failed: the next run fails on the script again, not on the history.
        assertThatThrownBy(failing::migrate).isInstanceOf(MigrationFailedException.class);
    }

    @Test
    void aFailingNonTransactionalMigrationIsReportedHalfApplied() throws SQLException {
        Migrations concurrently = db.migrations().withSettings(MigrationSettings.defaults()
                .withLocations(BASE + "concurrently-failing"));

        assertThatThrownBy(concurrently::migrate)
                .isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                    assertThat(e.script()).isEqualTo("V2__index_emails_concurrently.sql");
                    assertThat(e.version()).contains("2");
                    assertThat(e.sqlState()).contains("23505");
                    assertThat(e.postgresMessage()).startsWith("could not create unique index \"emails_address_uq\"");
                    assertThat(e.halfApplied()).isTrue();
                })
                .hasMessageContaining("Migration V2__index_emails_concurrently.sql (version 2) failed on database "
                        + "'test': SQL state 23505, could not create unique index \"emails_address_uq\"")
                .hasMessageContaining("so the schema is HALF APPLIED")
                .hasMessageContaining("these indexes were left behind INVALID: public.emails_address_uq")
                .hasMessageContaining("flyway_schema_history records the migration as failed");
        assertThat(Sql.text(db, "SELECT string_agg(c.relname || '=' || i.indisvalid, ',' ORDER BY c.relname) FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'emails_%'"))
                .isEqualTo("emails_address_uq=false,emails_domain_idx=true,emails_pkey=true");

        assertThatThrownBy(concurrently::migrate)
                .isInstanceOf(MigrationException.class)
                .isNotInstanceOf(MigrationFailedException.class)
                .hasMessageContaining("Database 'test' holds a failed migration: flyway_schema_history records "
                        + "V2__index_emails_concurrently.sql (version 2) as failed")
                .hasMessageContaining("call migrations().repair()");

        Sql.run(db, "DROP INDEX emails_address_uq, emails_domain_idx", "DELETE FROM emails WHERE id = 2");
        concurrently.repair();
        assertThat(concurrently.migrate().to()).contains("2");
    }

    @Test
    void placeholdersAreReplaced() throws SQLException {
        db.migrations().withSettings(MigrationSettings.defaults().withLocations(BASE + "placeholders")
                .withPlaceholder("table_name", "labels").withPlaceholder("default_label", "none yet")).migrate();

        assertThat(Sql.text(db, "SELECT label FROM labels WHERE id = 1")).isEqualTo("none yet");
    }

    @Test
    void schemasHoldTheObjectsAndTheHistory() throws SQLException {
        Migrations inApp = db.migrations().withSettings(MigrationSettings.defaults().withLocations(BASE + "schemas")
                .withSchemas("app"));

        inApp.migrate();

        assertThat(Sql.text(db, "SELECT to_regclass('app.widgets') IS NOT NULL AND to_regclass('app.flyway_schema_history') "
                + "IS NOT NULL")).isEqualTo("t");
        assertThat(inApp.schemaVersion()).contains("1");
        assertThat(db.migrations().withSettings(BASIC).schemaVersion()).isEmpty();
    }

    @Test
    void baselineOnMigrateAdoptsASchemaWithoutHistory() throws SQLException {
        Sql.run(db, "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, "
                + "balance_cents bigint NOT NULL DEFAULT 0)");

        MigrationResult result = db.migrations().withSettings(BASIC.withBaselineOnMigrate(true).withBaselineVersion("2")).migrate();

        assertThat(result.applied()).extracting(Migration::script)
                .containsExactly("V3__seed_accounts.sql", "R__account_view.sql");
        assertThat(result.to()).contains("3");
    }

    @Test
    void aMissingLocationIsNamed() {
        assertThatThrownBy(() -> db.migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration location 'classpath:db/migration' does not exist: no directory "
                        + "'db/migration' on the classpath")
                .hasMessageContaining("Fix: put the scripts there");
        assertThatThrownBy(() -> db.migrations().withSettings(MigrationSettings.defaults().withLocations("filesystem:no/such/dir"))
                .pendingMigrations())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Migration location 'filesystem:no/such/dir' does not exist: no directory ");
    }

    @Test
    void theBuilderSettingsAreTheHandleDefaults() {
        MigrationSettings settings = BASIC.withTarget("2");
        try (StatefulPostgres unstarted = StatefulPostgres.builder().migrations(settings).build()) {
            assertThat(unstarted.migrations().settings()).isEqualTo(settings);
        }
        assertThat(db.migrations().settings()).isEqualTo(MigrationSettings.defaults());
    }
}
