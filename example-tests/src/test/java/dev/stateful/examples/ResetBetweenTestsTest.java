package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The default reset: what @BeforeAll wrote is the baseline every test starts from. */
@Tag("docker")
// tag::reset[]
@WithVolume                                            // reset = Reset.BEFORE_EACH by default
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetBetweenTestsTest {
    @BeforeAll
    static void seed(StatefulPostgres db) throws Exception {
        Sql.run(db, "CREATE TABLE orders (id int)", "INSERT INTO orders VALUES (1), (2)");
    }

    @Test
    @Order(1)
    void deletesEveryOrder(StatefulPostgres db) throws Exception {
        Sql.run(db, "DELETE FROM orders");
        assertThat(db).table("orders").isEmpty();
    }

    @Test
    @Order(2)
    void startsFromTheBaselineAgain(StatefulPostgres db) {
        assertThat(db).table("orders").hasRowCount(2);  // the baseline snapshot was restored
    }
}
// end::reset[]
