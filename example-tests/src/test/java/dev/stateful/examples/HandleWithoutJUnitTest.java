package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The handle built by hand, as code outside JUnit's extension model uses it. */
@Tag("docker")
class HandleWithoutJUnitTest {
    @Test
    void aHandleBuiltByHandKeepsItsVolumeAcrossANewImage() throws Exception {
        // tag::builder[]
        try (StatefulPostgres db = StatefulPostgres.builder()        // no JUnit needed
                .image(ExampleImages.currentMajor())
                .durable(true)                                       // Postgres' defaults (fsync on), for crash tests
                .initScript("01-schema.sql", "CREATE TABLE t (id int);")   // runs on an empty volume only
                .start()) {                                          // returns once the server answers a query
            DataSource ds = db.dataSource();                         // follows the container when its port moves
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO t VALUES (1)");
            }
            db.recreate(ExampleImages.currentMajorRebuilt());        // same volume, another image
            assertThat(db).table("t").hasRowCount(1);
        }                                                            // container and generated volume removed
        // end::builder[]
    }

    @Test
    void theDataSourceFollowsARestart() throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().start()) {
            DataSource ds = db.dataSource();
            db.restart();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                org.assertj.core.api.Assertions.assertThat(rs.next()).isTrue();
            }
        }
    }
}
