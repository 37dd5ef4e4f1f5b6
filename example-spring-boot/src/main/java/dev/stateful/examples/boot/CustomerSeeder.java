package dev.stateful.examples.boot;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Seed the demo customer when the application starts (unless {@code orders.seed=false}). */
@Component
@ConditionalOnProperty(name = "orders.seed", matchIfMissing = true)
public class CustomerSeeder implements ApplicationRunner {
    private final JdbcClient jdbc;

    /**
     * Create the seeder.
     *
     * @param jdbc the client on the application's DataSource
     */
    public CustomerSeeder(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        jdbc.sql("INSERT INTO customers (name) VALUES ('seeded-at-startup') ON CONFLICT DO NOTHING").update();
    }
}
