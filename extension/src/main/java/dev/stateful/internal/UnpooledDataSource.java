package dev.stateful.internal;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The parts of a {@link DataSource} that do not depend on where connections come from (log
 * writer, login timeout, unwrapping), for the handle's own data source and the one
 * {@code stateful-spring} gives Boot's pool. Subclasses open the connections.
 *
 * <p>Not API: part of {@code dev.stateful.internal}, may change in any release.
 */
public abstract class UnpooledDataSource implements DataSource {
    private PrintWriter logWriter;
    private int loginTimeout;

    /** For subclasses. */
    protected UnpooledDataSource() {
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
