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
import org.springframework.test.context.transaction.TestTransaction;
import org.springframework.transaction.annotation.Transactional;

/**
 * A {@code @Transactional} test class beside the non-transactional {@link OrderServiceTest}:
 * Spring opens each test's transaction after Stateful's reset, so the reset does not end it,
 * and a test that commits still leaves the next test its baseline.
 */
@SpringBootTest
@WithVolume
@Transactional
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransactionalOrderTest {
    @Autowired
    OrderService service;

    @Autowired
    OrderRepository orders;

    @Test
    @Order(1)
    void aTransactionalTestSeesItsOwnWrites() {
        assertThat(TestTransaction.isActive()).isTrue();
        service.place("ada", 250);

        assertThat(orders.count()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void aTestThatCommitsStillLeavesTheNextOneTheBaseline(StatefulPostgres db) {
        assertThat(orders.count()).isEqualTo(2);
        service.place("grace", 250);
        TestTransaction.flagForCommit();
        TestTransaction.end();

        assertThat(db).table("orders").hasRowCount(3);
    }

    @Test
    @Order(3)
    void theNextTestStartsFromTheBaseline(StatefulPostgres db) {
        assertThat(orders.count()).isEqualTo(2);
        assertThat(db).table("orders").hasRowCount(2);
    }
}
