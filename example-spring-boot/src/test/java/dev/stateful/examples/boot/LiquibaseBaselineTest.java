package dev.stateful.examples.boot;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The application migrated by Boot's Liquibase auto-configuration instead of its Flyway: what
 * Liquibase applies while the context starts (and the seeder's row) is the class's baseline,
 * and every test starts from it. Runs where liquibase-core is on the classpath: the Boot 3.5
 * module (Boot 4.0.7 manages Liquibase 5.x, which Stateful does not use).
 */
@SpringBootTest(properties = {"spring.flyway.enabled=false", "spring.liquibase.enabled=true",
        "spring.liquibase.change-log=classpath:db/changelog/orders.yaml"})
@WithVolume
@EnabledIf(value = "liquibaseOnTheClasspath", disabledReason = "liquibase-core is not on this module's classpath")
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

    static boolean liquibaseOnTheClasspath() {
        try {
            Class.forName("liquibase.Liquibase", false, LiquibaseBaselineTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
