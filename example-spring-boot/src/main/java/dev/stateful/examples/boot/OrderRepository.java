package dev.stateful.examples.boot;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Orders in table {@code orders}, through Spring's JdbcClient. */
@Repository
public class OrderRepository {
    private final JdbcClient jdbc;

    /**
     * Create the repository.
     *
     * @param jdbc the client on the application's DataSource
     */
    public OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Insert an order.
     *
     * @param customer the customer's name
     * @param amountCents the amount
     */
    public void insert(String customer, int amountCents) {
        jdbc.sql("INSERT INTO orders (customer, amount_cents) VALUES (?, ?)").params(customer, amountCents).update();
    }

    /**
     * Count the orders.
     *
     * @return how many there are
     */
    public long count() {
        return jdbc.sql("SELECT count(*) FROM orders").query(Long.class).single();
    }

    /**
     * List the customers who ordered.
     *
     * @return their names, sorted
     */
    public List<String> customers() {
        return jdbc.sql("SELECT DISTINCT customer FROM orders ORDER BY customer").query(String.class).list();
    }
}
