package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Test;

/** {@code docker stop} then {@code docker start}: same container, same volume, data kept. */
// tag::stop-start[]
@WithVolume
class StopStartKeepsDataTest {
    @Test
    void dataSurvivesStopAndStart(StatefulPostgres db) throws Exception {
        Sql.run(db, "CREATE TABLE orders (id int PRIMARY KEY, total numeric)",
                "INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 100) g");

        assertThat(db).survives(() -> {
            db.stop();
            db.start();
        });
        assertThat(db).table("orders").hasRowCount(100);
    }
}
// end::stop-start[]
