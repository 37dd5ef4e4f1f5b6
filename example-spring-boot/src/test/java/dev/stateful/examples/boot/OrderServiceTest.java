package dev.stateful.examples.boot;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The service and its repository on a @WithVolume database, with Boot's own Flyway and an
 * ApplicationRunner building the state: every test starts from that state, and the pool keeps
 * working across resets, restarts, kills and recreates. The order only makes the later tests
 * follow the ones that changed the server; each test holds on its own.
 */
// tag::boot-test[]
@SpringBootTest
@WithVolume
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderServiceTest {
    @Autowired
    OrderService service;

    @Autowired
    OrderRepository orders;

    @Test
    @Order(1)
    void theBaselineHoldsWhatBootBuiltAtStartup(StatefulPostgres db) {
        assertThat(db).hasTable("orders").table("flyway_schema_history").hasRowCount(2);
        assertThat(db).table("customers").hasRowCount(3);
        assertThat(orders.customers()).containsExactly("ada", "grace");
    }

    @Test
    @Order(2)
    void aTestThatPlacesAnOrderSeesTheBaselinePlusItsOrder(StatefulPostgres db) {
        service.place("seeded-at-startup", 700);

        assertThat(orders.count()).isEqualTo(3);
        assertThat(db).table("orders").hasRowCount(3);
    }

    @Test
    @Order(3)
    void theNextTestSeesOnlyTheBaselineThroughTheSamePool() {
        assertThat(orders.count()).isEqualTo(2);
        service.place("ada", 500);
        assertThat(orders.count()).isEqualTo(3);
    }
    // end::boot-test[]

    @Test
    @Order(4)
    void theRepositoryWorksAfterARestart(StatefulPostgres db) {
        assertThat(orders.count()).isEqualTo(2);

        db.restart();

        assertThat(orders.count()).isEqualTo(2);
        service.place("grace", 100);
        assertThat(orders.count()).isEqualTo(3);
    }

    @Test
    @Order(5)
    void theRepositoryWorksAfterAKill(StatefulPostgres db) {
        assertThat(orders.count()).isEqualTo(2);

        db.kill();

        assertThat(orders.customers()).containsExactly("ada", "grace");
    }

    @Test
    @Order(6)
    void theRepositoryWorksAfterARecreate(StatefulPostgres db) {
        String before = db.containerId();
        assertThat(orders.count()).isEqualTo(2);

        db.recreate();

        assertThat(db.containerId()).isNotEqualTo(before);
        assertThat(orders.customers()).containsExactly("ada", "grace");
    }

    @Test
    @Order(7)
    void aFailedServiceCallLeavesNothingBehind(StatefulPostgres db) {
        assertThatThrownBy(() -> service.place("nobody", 100)).hasMessage("unknown customer: nobody");

        assertThat(db).table("orders").hasRowCount(2);
    }

    @Test
    @Order(8)
    void theRepositoryWorksAfterAnImageUpgrade(StatefulPostgres db) {
        String upgrade = System.getenv().getOrDefault("STATEFUL_EXAMPLE_REBUILT_IMAGE", "postgres:17-bookworm");
        assertThat(orders.count()).isEqualTo(2);

        db.recreate(upgrade);

        assertThat(db.image()).isEqualTo(upgrade);
        assertThat(orders.customers()).containsExactly("ada", "grace");
        service.place("grace", 100);
        assertThat(orders.count()).isEqualTo(3);
    }
}
