package dev.stateful.examples.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Two {@code @WithVolume} classes with the same Spring configuration each get a context on
 * their own database: Spring's context cache does not hand the second class the first one's.
 * Each Postgres cluster has its own system identifier, read here through the context's pool.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class SeparateDatabasesTest {
    static final List<Long> CLUSTERS_SEEN_BY_SPRING = new ArrayList<>();

    static long cluster(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @AfterAll
    static void eachClassSawItsOwnCluster() {
        assertThat(CLUSTERS_SEEN_BY_SPRING).hasSize(2).doesNotHaveDuplicates();
    }

    @Nested
    @SpringBootTest
    @WithVolume
    @Order(1)
    class First {
        @Autowired
        DataSource dataSource;

        @Test
        void theContextTalksToThisClassesDatabase(StatefulPostgres db) throws SQLException {
            long seen = cluster(dataSource);
            assertThat(seen).isEqualTo(cluster(db.dataSource()));
            CLUSTERS_SEEN_BY_SPRING.add(seen);
        }
    }

    @Nested
    @SpringBootTest
    @WithVolume
    @Order(2)
    class Second {
        @Autowired
        DataSource dataSource;

        @Test
        void theContextTalksToThisClassesDatabase(StatefulPostgres db) throws SQLException {
            long seen = cluster(dataSource);
            assertThat(seen).isEqualTo(cluster(db.dataSource()));
            CLUSTERS_SEEN_BY_SPRING.add(seen);
        }
    }
}
