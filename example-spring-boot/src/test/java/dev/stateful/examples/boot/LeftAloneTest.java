package dev.stateful.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * With stateful-spring on the classpath, classes without {@code @WithVolume} keep their own
 * database settings and share one cached context, as Spring does without Stateful. (No
 * database runs at that URL: Hikari connects lazily, and Flyway is off for these classes.)
 */
class LeftAloneTest {
    static ApplicationContext first;
    static ApplicationContext second;

    @AfterAll
    static void bothClassesSharedOneContext() {
        assertThat(first).isNotNull().isSameAs(second);
    }

    @Nested
    @SpringBootTest(properties = {
            "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/elsewhere",
            "spring.flyway.enabled=false", "orders.seed=false",
            "spring.main.lazy-initialization=true"})
    class One {
        @Autowired
        ApplicationContext context;

        @Autowired
        DataSource dataSource;

        @Test
        void keepsItsOwnDatabaseUrl() {
            first = context;
            assertThat(((HikariDataSource) dataSource).getJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:1/elsewhere");
        }
    }

    @Nested
    @SpringBootTest(properties = {
            "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/elsewhere",
            "spring.flyway.enabled=false", "orders.seed=false",
            "spring.main.lazy-initialization=true"})
    class Two {
        @Autowired
        ApplicationContext context;

        @Test
        void getsTheSameCachedContext() {
            second = context;
            assertThat(context).isNotNull();
        }
    }
}
