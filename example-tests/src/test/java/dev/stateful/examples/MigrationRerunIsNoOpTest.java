package dev.stateful.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.junit.WithVolume;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Test;

/**
 * Running the migrator again, as every deployment does, applies nothing and changes nothing.
 */
@WithVolume
class MigrationRerunIsNoOpTest {

    @Test
    void secondMigrateAppliesNothing(StatefulPostgres db) throws Exception {
        MigrationResult first = db.migrations().withSettings(Fixtures.migrationSettings()).migrate();
        assertThat(first.applied()).hasSize(6); // V1..V5 and the repeatable view
        Sql.run(db, "INSERT INTO users (email) VALUES ('ada@example.com'), ('linus@example.com')");
        DatabaseFingerprint before = db.fingerprint();

        MigrationResult second = db.migrations().withSettings(Fixtures.migrationSettings()).migrate();

        assertThat(second.applied()).isEmpty();
        assertThat(second.fromVersion()).isEqualTo("5");
        assertThat(second.toVersion()).isEqualTo("5");
        assertThat(db.fingerprint()).isEqualTo(before);
    }
}
