package dev.stateful.examples.boot;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What Boot's SQL script initialization writes at startup is part of the baseline too. */
@SpringBootTest(properties = {"spring.sql.init.mode=always", "spring.sql.init.data-locations=classpath:promotions.sql"})
@WithVolume
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SqlScriptsTest {
    @Autowired
    JdbcClient jdbc;

    @Test
    @Order(1)
    void aTestRemovesTheScriptsRow(StatefulPostgres db) {
        assertThat(db).table("promotions").hasRowCount(1);
        jdbc.sql("DELETE FROM promotions").update();
        assertThat(db).table("promotions").isEmpty();
    }

    @Test
    @Order(2)
    void theNextTestHasItBack(StatefulPostgres db) {
        assertThat(db).table("promotions").hasRowCount(1);
    }
}
