package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Test;

/** {@code docker rm} and a new container on the same named volume: the data lives in the volume. */
@WithVolume
class ContainerRemovalKeepsDataTest {
    @Test
    void dataSurvivesRemovingTheContainer(StatefulPostgres db) throws Exception {
        Sql.run(db, "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Zoë')");
        String before = db.containerId();

        assertThat(db).survives(db::recreate);

        assertThat(db.containerId()).isNotEqualTo(before);
        assertThat(db).table("customers").hasRowCount(3);
    }
}
