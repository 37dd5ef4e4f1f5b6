package dev.stateful.examples;

import dev.stateful.StatefulPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Tiny JDBC helpers for the examples: run statements, read one number. */
final class Sql {
    private Sql() {
    }

    static void run(StatefulPostgres db, String... statements) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static long count(StatefulPostgres db, String table) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
