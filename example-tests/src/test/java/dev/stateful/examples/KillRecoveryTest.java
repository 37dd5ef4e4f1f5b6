package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Test;

/** SIGKILL the server: with durable settings, every committed row survives crash recovery. */
@WithVolume(durable = true)
class KillRecoveryTest {
    @Test
    void committedRowsSurviveACrash(StatefulPostgres db) throws Exception {
        Sql.run(db, "CREATE TABLE payments (id int PRIMARY KEY, amount numeric)");
        for (int i = 1; i <= 20; i++) {
            Sql.run(db, "INSERT INTO payments VALUES (" + i + ", " + i + ")");
        }

        assertThat(db).survives(db::kill);
        assertThat(db).table("payments").hasRowCount(20);
    }
}
