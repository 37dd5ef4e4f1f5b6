package dev.stateful.spring;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.UnpooledDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connections of a pool that follows a {@code @WithVolume} container: each one opened on the
 * container the class's handle runs now, with the handle's credentials. Hikari asks with a user
 * name and password (those of the connection details): the handle's are accepted, any other
 * role is refused.
 */
final class HandleFollowingDataSource extends UnpooledDataSource {
    private final Class<?> owner;
    private final ConnectionGate gate = new ConnectionGate();

    HandleFollowingDataSource(Class<?> owner) {
        this.owner = owner;
    }

    /** The gate that holds back new connections while Stateful ends the sessions. */
    ConnectionGate gate() {
        return gate;
    }

    private StatefulPostgres handle() throws SQLException {
        try {
            return VolumeOwner.handle(owner);
        } catch (IllegalStateException e) {
            throw new SQLException(e.getMessage(), "08003", e);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(null, null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        StatefulPostgres db = handle();
        if (username != null && !username.equals(db.username())) {
            throw new SQLException("stateful-spring on " + owner.getName() + ": the pool asked for role '" + username
                    + "', but the @WithVolume database is reached as '" + db.username() + "'; expected the role of the "
                    + "connection details. Fix: remove spring.datasource.username (Stateful sets it), or connect as "
                    + "another role with StatefulPostgres.jdbcUrl().", "28000");
        }
        gate.enter("stateful-spring on " + owner.getName());
        try {
            return db.connection();
        } finally {
            gate.exit();
        }
    }

    @Override
    public String toString() {
        return "DataSource of the @WithVolume database of " + owner.getName();
    }
}
