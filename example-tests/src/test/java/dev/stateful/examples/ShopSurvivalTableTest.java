package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.junit.WithStack;
import dev.stateful.stack.StatefulStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The survival table of the shop stack: what an operator does to each service, and that every
 * store keeps its data. Each test starts from the class baseline (the order placed in {@code @BeforeAll}).
 */
@WithStack(compose = "src/test/resources/shop/docker-compose.yml")
class ShopSurvivalTableTest {
    @BeforeAll
    static void placeAnOrder(StatefulStack shop) throws Exception {
        ShopStackLifecycleTest.placeAnOrder(shop);
    }

    // tag::survival[]
    @Test
    void restartKeepsEveryStore(StatefulStack shop) {
        assertThat(shop).survives(() -> shop.service("cache").restart());
        assertThat(shop).survives(() -> shop.service("orders-db").restart());
    }

    @Test
    void aNewContainerKeepsEveryStore(StatefulStack shop) {
        assertThat(shop).survives(() -> shop.service("cache").recreate());
        assertThat(shop).survives(() -> shop.service("app").recreate());
    }

    @Test
    void aCrashKeepsRedisAppendOnlyData(StatefulStack shop) {
        assertThat(shop).survives(() -> shop.service("cache").kill());   // SIGKILL, then start: AOF replayed
    }

    @Test
    void anImageUpgradeKeepsTheOrders(StatefulStack shop) {
        assertThat(shop).survives(() -> shop.service("orders-db").recreate(ExampleImages.currentMajorRebuilt()));
    }
    // end::survival[]
}
