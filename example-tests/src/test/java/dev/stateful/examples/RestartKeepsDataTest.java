package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Test;

/** {@code docker restart}: data kept, and the handle's connections work again afterwards. */
@WithVolume
class RestartKeepsDataTest {
    @Test
    void dataSurvivesRestart(StatefulPostgres db) throws Exception {
        Sql.run(db, "CREATE TABLE events (id bigserial PRIMARY KEY, payload jsonb)",
                "INSERT INTO events (payload) SELECT jsonb_build_object('n', g) FROM generate_series(1, 50) g");

        assertThat(db).survives(db::restart);
        Sql.run(db, "INSERT INTO events (payload) VALUES ('{\"after\": \"restart\"}')");
        assertThat(db).table("events").hasRowCount(51);
    }
}
