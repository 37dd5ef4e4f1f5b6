package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.testing.Sql;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Reset between tests of a class-level @WithVolume. */
@Tag("docker")
@Tag("also-on-junit6")
class ResetTest {

    @Nested
    @WithVolume
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class BeforeEachResetsToTheBaseline {
        private static long databaseOidInSecondTest;

        @BeforeAll
        static void seed(StatefulPostgres db) throws SQLException {
            Sql.run(db, "CREATE TABLE notes (id int)", "INSERT INTO notes VALUES (1)");
        }

        @Test
        @Order(1)
        void firstTestWrites(StatefulPostgres db) throws SQLException {
            assertThat(Sql.count(db, "notes")).isEqualTo(1);
            Sql.run(db, "INSERT INTO notes VALUES (2), (3)");
        }

        @Test
        @Order(2)
        void secondTestStartsFromTheBaseline(StatefulPostgres db) throws SQLException {
            assertThat(Sql.count(db, "notes")).as("rows of @BeforeAll only").isEqualTo(1);
            databaseOidInSecondTest = databaseOid(db);
        }

        @Test
        @Order(3)
        void aReadOnlyTestNeedsNoRestore(StatefulPostgres db) throws SQLException {
            assertThat(Sql.count(db, "notes")).isEqualTo(1);
            assertThat(databaseOid(db)).as("a restore recreates the database; none ran after a read-only test")
                    .isEqualTo(databaseOidInSecondTest);
        }
    }

    @Nested
    @WithVolume(reset = Reset.NONE)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class NoneKeepsState {
        @BeforeAll
        static void seed(StatefulPostgres db) throws SQLException {
            Sql.run(db, "CREATE TABLE notes (id int)", "INSERT INTO notes VALUES (1)");
        }

        @Test
        @Order(1)
        void firstTestWrites(StatefulPostgres db) throws SQLException {
            Sql.run(db, "INSERT INTO notes VALUES (2)");
        }

        @Test
        @Order(2)
        void secondTestSeesIt(StatefulPostgres db) throws SQLException {
            assertThat(Sql.count(db, "notes")).isEqualTo(2);
        }
    }

    static long databaseOid(StatefulPostgres db) throws SQLException {
        return Sql.number(db, "SELECT oid FROM pg_database WHERE datname = current_database()");
    }
}
