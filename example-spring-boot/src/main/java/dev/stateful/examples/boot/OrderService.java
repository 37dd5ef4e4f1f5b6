package dev.stateful.examples.boot;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Place orders: an order and its customer's order count, in one transaction. */
@Service
public class OrderService {
    private final OrderRepository orders;
    private final JdbcClient jdbc;

    /**
     * Create the service.
     *
     * @param orders the repository
     * @param jdbc the client, for the customers table
     */
    public OrderService(OrderRepository orders, JdbcClient jdbc) {
        this.orders = orders;
        this.jdbc = jdbc;
    }

    /**
     * Place an order for a known customer.
     *
     * @param customer the customer's name
     * @param amountCents the amount, positive
     * @throws IllegalArgumentException when the customer is unknown or the amount is not positive
     */
    @Transactional
    public void place(String customer, int amountCents) {
        if (amountCents <= 0) {
            throw new IllegalArgumentException("amount must be positive: " + amountCents);
        }
        int updated = jdbc.sql("UPDATE customers SET orders_placed = orders_placed + 1 WHERE name = ?")
                .param(customer).update();
        if (updated == 0) {
            throw new IllegalArgumentException("unknown customer: " + customer);
        }
        orders.insert(customer, amountCents);
    }
}
