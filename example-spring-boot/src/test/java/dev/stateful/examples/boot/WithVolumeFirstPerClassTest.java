package dev.stateful.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.junit.WithVolume;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.transaction.TestTransaction;
import org.springframework.transaction.annotation.Transactional;

/**
 * The other order of the annotations, with one test instance for the class: Spring builds the
 * context before {@code @BeforeAll}, so the container starts before the instance is made, and
 * the reset still comes before each test's transaction.
 */
@WithVolume
@SpringBootTest
@Transactional
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WithVolumeFirstPerClassTest {
    @Autowired
    OrderService service;

    @Autowired
    OrderRepository orders;

    @Test
    @Order(1)
    void aTestThatCommits() {
        service.place("ada", 900);
        TestTransaction.flagForCommit();
        TestTransaction.end();

        assertThat(orders.count()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void theNextTestSeesTheBaseline() {
        assertThat(orders.count()).isEqualTo(2);
    }
}
