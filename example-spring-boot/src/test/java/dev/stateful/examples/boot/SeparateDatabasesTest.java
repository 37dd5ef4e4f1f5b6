package dev.stateful.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Two {@code @WithVolume} classes with the same Spring configuration, running at the same time,
 * each get a context on their own database: Spring's context cache does not hand one class the
 * other's. A database is its cluster's system identifier and its name (on the shared server, the
 * default, the cluster is the same and the databases differ), read here through the context's
 * pool while both contexts are alive.
 */
@Tag("docker")
@Execution(ExecutionMode.CONCURRENT)
class SeparateDatabasesTest {
    static final Map<String, String> DATABASE_SEEN_BY_SPRING = new ConcurrentHashMap<>();
    static final CyclicBarrier BOTH_CONTEXTS_LIVE = new CyclicBarrier(2);

    static String database(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT system_identifier || '/' || current_database() FROM pg_control_system()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void check(String name, DataSource dataSource, StatefulPostgres db) throws Exception {
        try {
            BOTH_CONTEXTS_LIVE.await(2, TimeUnit.MINUTES);
            String seen = database(dataSource);
            assertThat(seen).isEqualTo(database(db.dataSource()));
            DATABASE_SEEN_BY_SPRING.put(name, seen);
            BOTH_CONTEXTS_LIVE.await(2, TimeUnit.MINUTES);
        } catch (Exception | AssertionError e) {
            BOTH_CONTEXTS_LIVE.reset(); // the other class stops waiting
            throw e;
        }
    }

    @AfterAll
    static void eachClassSawItsOwnDatabase() {
        assertThat(DATABASE_SEEN_BY_SPRING).containsOnlyKeys("first", "second");
        assertThat(DATABASE_SEEN_BY_SPRING.get("first")).isNotEqualTo(DATABASE_SEEN_BY_SPRING.get("second"));
    }

    @Nested
    @SpringBootTest
    @WithVolume
    @Execution(ExecutionMode.CONCURRENT)
    class First {
        @Autowired
        DataSource dataSource;

        @Test
        void theContextTalksToThisClassesDatabase(StatefulPostgres db) throws Exception {
            check("first", dataSource, db);
        }
    }

    @Nested
    @SpringBootTest
    @WithVolume
    @Execution(ExecutionMode.CONCURRENT)
    class Second {
        @Autowired
        DataSource dataSource;

        @Test
        void theContextTalksToThisClassesDatabase(StatefulPostgres db) throws Exception {
            check("second", dataSource, db);
        }
    }
}
