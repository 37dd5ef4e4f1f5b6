package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import java.sql.Connection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** README's ten lines, as they are shown there: restart and recreate keep data, {@code down -v} loses it. */
@Tag("docker")
// tag::ten-lines[]
@WithVolume
class TenLinesTest {
    @Test
    void ordersSurviveARestartButNotVolumeRemoval(StatefulPostgres db) throws Exception {
        try (Connection c = db.connection()) {
            c.createStatement().execute("CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)");
        }
        assertThat(db).survives(db::restart);                     // restart keeps data
        assertThat(db).survives(db::recreate);                    // docker rm + new container: kept
        assertThat(db).losesDataOn(() -> { db.removeVolume(); db.start(); });   // down -v: gone
    }
}
// end::ten-lines[]
