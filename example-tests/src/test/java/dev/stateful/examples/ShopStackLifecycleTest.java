package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.junit.WithStack;
import dev.stateful.stack.StatefulStack;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The shop stack's named volumes: every store survives {@code down}/{@code up}, and {@code down -v} loses them all. */
// tag::lifecycle[]
@WithStack(compose = "src/test/resources/shop/docker-compose.yml")
class ShopStackLifecycleTest {
    @Test
    void everyStoreSurvivesDownAndUp(StatefulStack shop) throws Exception {
        placeAnOrder(shop);

        assertThat(shop).survives(() -> {
            shop.down();   // containers removed, volumes kept
            shop.up();     // new containers on the same volumes, in depends_on order
        });
    }

    @Test
    void downWithVolumesLosesEveryStore(StatefulStack shop) throws Exception {
        placeAnOrder(shop);

        assertThat(shop).losesDataOn(() -> {
            shop.downWithVolumes();   // docker compose down -v
            shop.up();
        });
    }

    static void placeAnOrder(StatefulStack shop) throws Exception {
        Sql.run(shop.postgres("orders-db"), "CREATE TABLE orders (id int PRIMARY KEY, total numeric)",
                "INSERT INTO orders VALUES (1, 42.50)");
        try (Jedis redis = new Jedis("127.0.0.1", shop.service("cache").port(6379))) {
            redis.hset("cart:7", "sku-1", "2");
            redis.rpush("queue:emails", "order-1-confirmation");
        }
        shop.service("app").exec("sh", "-c", "echo PNG > /srv/uploads/sku-1.png && echo 'order 1' >> /var/log/shop/app.log");
    }
}
// end::lifecycle[]
