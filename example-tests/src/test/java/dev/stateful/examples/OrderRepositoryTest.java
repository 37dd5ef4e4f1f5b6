package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * README's ten lines as a class a user grows: the second test removes the volume, and the third
 * still starts from the class's prepared state (an empty database) with the default reset.
 */
@WithVolume
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderRepositoryTest {
    @Test
    @Order(1)
    void ordersSurviveARestartAndARecreate(StatefulPostgres db) throws Exception {
        try (Connection c = db.connection()) {
            c.createStatement().execute("CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)");
        }
        assertThat(db).survives(db::restart);                     // restart keeps data
        assertThat(db).survives(db::recreate);                    // docker rm + new container: kept
    }

    @Test
    @Order(2)
    void ordersDoNotSurviveVolumeRemoval(StatefulPostgres db) throws Exception {
        try (Connection c = db.connection()) {
            c.createStatement().execute("CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)");
        }
        assertThat(db).losesDataOn(() -> { db.removeVolume(); db.start(); });   // down -v: gone
    }

    @Test
    @Order(3)
    void theNextTestWritesAndReads(StatefulPostgres db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int)");            // the table of the earlier tests is gone
            s.execute("INSERT INTO orders VALUES (7)");
            try (ResultSet rs = s.executeQuery("SELECT id FROM orders")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getInt(1)).isEqualTo(7);
            }
        }
    }
}
