package dev.stateful.examples.boot;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The application migrated by Boot's Liquibase auto-configuration instead of its Flyway: what
 * Liquibase applies while the context starts (and the seeder's row) is the class's baseline,
 * and every test starts from it.
 */
@SpringBootTest(properties = {"spring.flyway.enabled=false", "spring.liquibase.enabled=true",
        "spring.liquibase.change-log=classpath:db/changelog/orders.yaml"})
@WithVolume
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiquibaseBaselineTest {
    @Autowired
    OrderService service;

    @Autowired
    OrderRepository orders;

    @Test
    @Order(1)
    void theBaselineHoldsWhatLiquibaseAppliedAtStartup(StatefulPostgres db) {
        assertThat(db).table("databasechangelog").hasRowCount(2);
        assertThat(orders.customers()).containsExactly("ada", "grace");
        assertThat(db).table("customers").hasRowCount(3);
        service.place("ada", 250);
        assertThat(orders.count()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void theNextTestStartsFromTheLiquibaseBaselineAgain(StatefulPostgres db) {
        assertThat(orders.count()).isEqualTo(2);
        assertThat(db).table("databasechangelog").hasRowCount(2);
    }
}
