package dev.stateful.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small order service: Boot's Flyway creates the schema, {@link CustomerSeeder} adds a customer. */
@SpringBootApplication
public class OrdersApplication {
    /**
     * Run the service.
     *
     * @param args Spring Boot's arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}
