package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.junit.WithVolume;
import dev.stateful.migrate.Migration;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Migrations through the handle, as docs/migrations.md shows them, on the fixture migration set. */
@Tag("docker")
@WithVolume
class MigrationsExampleTest {
    @Test
    void stepByStep(StatefulPostgres db) throws Exception {
        db.migrations().use(Fixtures.migrationSettings());
        // tag::step-by-step[]
        db.migrateTo("2");                                  // up to V2, then new or changed R__ scripts
        Sql.run(db, "INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada')");  // data at V2
        MigrationResult r = db.migrate();                   // V3 and up (the R__ view ran already)
        assertThat(r.applied()).extracting(Migration::version).containsExactly("3", "4", "5");
        assertThat(db.migrations().schemaVersion()).contains("5");
        assertThat(db.migrations().pendingMigrations()).isEmpty();
        // end::step-by-step[]
    }

    @Test
    void settingsForOneCall(StatefulPostgres db) {
        // tag::settings[]
        MigrationSettings settings = MigrationSettings.defaults()   // classpath:db/migration, latest
                .withLocations(Fixtures.MIGRATIONS)                  // "classpath:...", "filesystem:..."
                .withSchemas("app")                                  // first schema: default schema + history table
                .withPlaceholder("owner", "app_owner")
                .withTarget("3");
        MigrationResult result = db.migrations().withSettings(settings).migrate();
        assertThat(result.toVersion()).isEqualTo("3");
        assertThat(db).hasTable("app.users").hasTable("app.flyway_schema_history");
        // end::settings[]
    }
}
