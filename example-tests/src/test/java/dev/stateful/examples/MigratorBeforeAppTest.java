package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.MigratedTo;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * The migrator runs before the application, as in a deployment: the class's database is
 * migrated to the latest version once, then the tests run the application's queries on it.
 */
@WithVolume
@MigratedTo(locations = "classpath:stateful/fixtures/db/migration")
class MigratorBeforeAppTest {

    @Test
    void schemaIsAtTheLatestVersion(StatefulPostgres db) {
        assertThat(db).isAtSchemaVersion("5").hasColumn("users", "profile");
        assertThat(db.migrations().pendingMigrations()).isEmpty(); // the handle uses the class's @MigratedTo settings
    }

    @Test
    void theApplicationsQueriesWork(StatefulPostgres db) throws Exception {
        try (Connection c = db.connection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO users (email, profile) VALUES (?, jsonb_build_object('display_name', ?::text))")) {
                insert.setString(1, "ada@example.com");
                insert.setString(2, "Ada");
                insert.executeUpdate();
            }
            Sql.run(db, "INSERT INTO orders (user_id, status, placed_at, total_cents) "
                    + "SELECT id, 'paid', now(), 1250 FROM users WHERE email = 'ada@example.com'");
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT u.profile ->> 'display_name', s.orders, s.total_cents
                    FROM users u JOIN user_order_summary s ON s.user_id = u.id
                    WHERE u.email = ?""")) {
                query.setString(1, "ada@example.com");
                try (ResultSet rs = query.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("Ada");
                    assertThat(rs.getLong(2)).isEqualTo(1);
                    assertThat(rs.getLong(3)).isEqualTo(1250);
                }
            }
        }
    }
}
