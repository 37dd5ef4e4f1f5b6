package dev.stateful.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * The way to pay for one container and one context for several groups of tests: {@code @Nested}
 * classes without a {@code @WithVolume} of their own use the enclosing class's container and
 * context, and each of their tests still starts from the baseline.
 */
@SpringBootTest
@WithVolume
class NestedSharesTheContainerTest {
    static final Set<ApplicationContext> CONTEXTS = ConcurrentHashMap.newKeySet();
    static final Set<String> CONTAINERS = ConcurrentHashMap.newKeySet();

    @Autowired
    ApplicationContext context;

    @Autowired
    OrderService service;

    @Autowired
    OrderRepository orders;

    void placeOneOrder(StatefulPostgres db) {
        CONTEXTS.add(context);
        CONTAINERS.add(db.containerId());
        assertThat(orders.count()).isEqualTo(2);
        service.place("ada", 100);
        assertThat(orders.count()).isEqualTo(3);
    }

    @AfterAll
    static void oneContextAndOneContainerForAll() {
        assertThat(CONTEXTS).hasSize(1);
        assertThat(CONTAINERS).hasSize(1);
    }

    @Test
    void outer(StatefulPostgres db) {
        placeOneOrder(db);
    }

    @Nested
    class Checkout {
        @Autowired
        ApplicationContext nestedContext;

        @Test
        void placesAnOrder(StatefulPostgres db) {
            CONTEXTS.add(nestedContext);
            placeOneOrder(db);
        }
    }

    @Nested
    class Reports {
        @Autowired
        ApplicationContext nestedContext;

        @Test
        void placesAnotherOrder(StatefulPostgres db) {
            CONTEXTS.add(nestedContext);
            placeOneOrder(db);
        }
    }
}
