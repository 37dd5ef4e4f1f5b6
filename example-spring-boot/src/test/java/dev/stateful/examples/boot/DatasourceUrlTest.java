package dev.stateful.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ClassUtils;

/** A @WithVolume class whose configuration also sets spring.datasource.url: the handle wins, and one INFO line says so. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/elsewhere",
        "spring.datasource.username=someone-else"})
@WithVolume
@ExtendWith(OutputCaptureExtension.class)
class DatasourceUrlTest {
    @Autowired
    DataSource dataSource;

    @Autowired
    OrderRepository orders;

    @Autowired
    ApplicationContext context;

    @Test
    void theHandlesDatabaseWins(StatefulPostgres db, CapturedOutput output) {
        HikariDataSource pool = (HikariDataSource) dataSource;
        assertThat(pool.getJdbcUrl()).isEqualTo(db.jdbcUrl());
        assertThat(pool.getUsername()).isEqualTo(db.username());
        assertThat(orders.count()).isEqualTo(2);

        String line = "DatasourceUrlTest has @WithVolume: its DataSource connects to the @WithVolume database; "
                + "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/elsewhere is not used";
        assertThat(output.getOut().split(java.util.regex.Pattern.quote(line), -1)).as("lines saying so").hasSize(2);
    }

    @Test
    void theContextsOnlyJdbcConnectionDetailsAreTheHandles(StatefulPostgres db) throws ClassNotFoundException {
        // JdbcConnectionDetails is in one package on Boot 3 and in another on Boot 4.
        assertThat(context.getBeanNamesForType(jdbcConnectionDetailsType()))
                .containsExactly("statefulJdbcConnectionDetails");
        Object details = context.getBean("statefulJdbcConnectionDetails");
        assertThat(ReflectionTestUtils.<String>invokeMethod(details, "getJdbcUrl")).isEqualTo(db.jdbcUrl());
        assertThat(ReflectionTestUtils.<String>invokeMethod(details, "getUsername")).isEqualTo(db.username());
    }

    private Class<?> jdbcConnectionDetailsType() throws ClassNotFoundException {
        ClassLoader loader = getClass().getClassLoader();
        String boot4 = "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails";
        String boot3 = "org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails";
        return Class.forName(ClassUtils.isPresent(boot4, loader) ? boot4 : boot3, false, loader);
    }
}
