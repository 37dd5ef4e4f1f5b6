package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.MigratedTo;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Expand/contract: while the old application still runs, V2 (expand) only adds
 * {@code users.profile}, so the old query keeps working; V3 copies the name into the profile;
 * only V5 (contract) drops {@code users.name}, and only then does the old query break.
 */
@WithVolume
@MigratedTo(value = "1", locations = "classpath:stateful/fixtures/db/migration")
class ExpandContractTest {
    private static final String OLD_APP_QUERY = "SELECT name FROM users WHERE email = ?";
    private static final String NEW_APP_QUERY = "SELECT profile ->> 'display_name' FROM users WHERE email = ?";

    @Test
    void oldQueryWorksAfterExpandAndBreaksOnlyAfterContract(StatefulPostgres db) throws Exception {
        Sql.run(db, "INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada Lovelace')");

        db.migrateTo("2"); // the handle migrates with the settings of the class's @MigratedTo
        assertThat(query(db, OLD_APP_QUERY)).as("old app after expand").isEqualTo("Ada Lovelace");
        Sql.run(db, "INSERT INTO users (email, name) VALUES ('grace@example.com', 'Grace Hopper')"); // old app writes

        db.migrateTo("4");
        assertThat(query(db, OLD_APP_QUERY)).as("old app before contract").isEqualTo("Ada Lovelace");
        assertThat(query(db, NEW_APP_QUERY)).as("new app after the backfill").isEqualTo("Ada Lovelace");

        db.migrateTo("5");
        SQLException broken = catchThrowableOfType(SQLException.class, () -> query(db, OLD_APP_QUERY));
        assertThat((Throwable) broken).as("old app after contract").isNotNull();
        assertThat(broken.getSQLState()).as("undefined column").isEqualTo("42703");
        assertThat(query(db, NEW_APP_QUERY)).isEqualTo("Ada Lovelace");
        assertThat(db).isAtSchemaVersion("5").table("users").hasRowCount(2);
    }

    private static String query(StatefulPostgres db, String sql) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, "ada@example.com");
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
