package dev.stateful;

import dev.stateful.internal.UnpooledDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/** Connect to whatever container a handle runs now, so that restarts do not break it. */
final class HandleDataSource extends UnpooledDataSource {
    private final StatefulPostgres handle;

    HandleDataSource(StatefulPostgres handle) {
        this.handle = handle;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return handle.connection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("this DataSource connects as " + handle.username()
                + "; use StatefulPostgres.jdbcUrl() to connect as another role");
    }

    @Override
    public String toString() {
        return "DataSource of " + handle;
    }
}
