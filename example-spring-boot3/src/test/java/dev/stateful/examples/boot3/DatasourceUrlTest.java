package dev.stateful.examples.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** A @WithVolume class whose configuration also sets spring.datasource.url: the handle wins. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/elsewhere",
        "spring.datasource.username=someone-else"})
@WithVolume
class DatasourceUrlTest {
    @Autowired
    DataSource dataSource;

    @Autowired
    OrderRepository orders;

    @Test
    void theHandlesDatabaseWins(StatefulPostgres db) {
        HikariDataSource pool = (HikariDataSource) dataSource;
        assertThat(pool.getJdbcUrl()).isEqualTo(db.jdbcUrl());
        assertThat(pool.getUsername()).isEqualTo(db.username());
        assertThat(orders.count()).isEqualTo(2);
    }
}
