package dev.stateful.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scripts in {@code /docker-entrypoint-initdb.d} run on the first start on an empty volume
 * only: a new container on an initialised volume skips them.
 */
@Tag("docker")
class InitScriptsTest {
    private static final String SEED = """
            CREATE TABLE seed_runs (ran_at timestamptz DEFAULT now());
            INSERT INTO seed_runs DEFAULT VALUES;
            """;

    @Test
    void initScriptsRunOnlyOnAnEmptyVolume() throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("InitScripts")
                .initScript("01-seed.sql", SEED).start()) {
            assertThat(Sql.count(db, "seed_runs")).as("runs on the empty volume").isEqualTo(1);

            db.recreate();
            assertThat(Sql.count(db, "seed_runs")).as("skipped on the initialised volume").isEqualTo(1);
            assertThat(db.logTail(20)).contains("Skipping initialization");

            db.removeVolume();
            db.start();
            assertThat(Sql.count(db, "seed_runs")).as("runs again on a new empty volume").isEqualTo(1);
        }
    }
}
