package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Test;

/** {@code docker compose down -v}: removing the volume removes the data; a new start is empty. */
@WithVolume
class VolumeRemovalTest {
    @Test
    void removingTheVolumeLosesTheData(StatefulPostgres db) throws Exception {
        Sql.run(db, "CREATE TABLE invoices (id int PRIMARY KEY)", "INSERT INTO invoices VALUES (1), (2), (3)");

        assertThat(db).losesDataOn(() -> {
            db.removeVolume();
            db.start();
        });
    }
}
