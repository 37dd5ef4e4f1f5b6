package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.StartupException;
import dev.stateful.StatefulPostgres;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replace the image on the same volume. Within a major version the data is kept; a data
 * directory of an older major version is refused by the new server (an upgrade needs
 * pg_upgrade or a dump and restore), and the volume is left intact for the old image.
 */
@Tag("docker")
class ImageUpgradeTest {
    @Test
    void sameMajorNewImageKeepsData() throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().image(ExampleImages.currentMajor()).start()) {
            Sql.run(db, "CREATE TABLE accounts (id int PRIMARY KEY, balance numeric NOT NULL)",
                    "INSERT INTO accounts SELECT g, g * 10 FROM generate_series(1, 20) g");

            assertThat(db).survives(() -> db.recreate(ExampleImages.currentMajorRebuilt()));
            assertThat(db.image()).isEqualTo(ExampleImages.currentMajorRebuilt());
        }
    }

    @Test
    void newMajorRefusesOldDataDirectory() throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().image(ExampleImages.previousMajor()).start()) {
            Sql.run(db, "CREATE TABLE ledger (id int PRIMARY KEY)", "INSERT INTO ledger VALUES (1), (2)");

            assertThatThrownBy(() -> db.recreate(ExampleImages.currentMajor()))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("exited with code")
                    .hasMessageContaining("database files are incompatible with server");

            db.recreate(ExampleImages.previousMajor());
            assertThat(db).table("ledger").hasRowCount(2);
        }
    }
}
