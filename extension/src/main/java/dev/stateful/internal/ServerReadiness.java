package dev.stateful.internal;

import dev.stateful.error.StartupException;
import dev.stateful.internal.engine.ContainerStatus;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.pg.PgCommands;
import dev.stateful.internal.pg.Readiness;
import dev.stateful.internal.pg.SqlIdentifiers;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Wait until a just started container accepts the handle's login. A volume initialised with
 * another password gets the handle's generated password set through the local socket; any other
 * refused login fails with what the volume was initialised with.
 */
final class ServerReadiness implements Readiness.Target {
    private final PostgresContainer server;
    private final ContainerSettings settings;

    ServerReadiness(PostgresContainer server, ContainerSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    /** Block until the server answers a query, within the startup timeout. */
    void await() {
        long started = System.nanoTime();
        try {
            awaitOrRekey();
        } catch (Readiness.RejectedLoginException e) {
            throw new StartupException(LoginMessages.rejected(e.sqlState(), settings.username(), settings.database(),
                    settings.volumeName(), settings.passwordGenerated(), e.getMessage()), e);
        }
        PostgresContainer.LOG.info("Postgres ready on volume {} ({}) in {} ms", settings.volumeName(),
                server.imageNow(), (System.nanoTime() - started) / 1_000_000);
    }

    private void awaitOrRekey() throws Readiness.RejectedLoginException {
        try {
            Readiness.await(this, settings.startupTimeout());
        } catch (Readiness.RejectedLoginException e) {
            if (!"28P01".equals(e.sqlState()) || !settings.passwordGenerated()) {
                throw e;
            }
            // The volume was initialised with another password: POSTGRES_PASSWORD was ignored.
            // This handle owns a generated password, so set it through the local socket.
            resetPassword();
            Readiness.await(this, settings.startupTimeout());
        }
    }

    private void resetPassword() {
        String username = settings.username();
        String sql = "ALTER ROLE " + SqlIdentifiers.quote(username) + " PASSWORD "
                + SqlIdentifiers.literal(settings.password());
        ExecResult result = server.engine().exec(server.currentContainerId(), PgCommands.OS_USER,
                PgCommands.psqlCommand(username, "postgres", sql));
        if (!result.succeeded()) {
            String stderr = result.stderrTail(5);
            String state = stderr.contains("does not exist") ? "28000" : "28P01";
            throw new StartupException(LoginMessages.rejected(state, username, settings.database(),
                    settings.volumeName(), true, stderr));
        }
        PostgresContainer.LOG.info("Volume {} was initialised with another password; reset the password of role {}",
                settings.volumeName(), username);
    }

    @Override
    public String describe() {
        return "Postgres (" + server.imageNow() + ") on volume '" + settings.volumeName() + "'";
    }

    @Override
    public ContainerStatus status() {
        return server.engine().status(server.currentContainerId());
    }

    @Override
    public String logTail(int lines) {
        return server.engine().logTail(server.currentContainerId(), lines);
    }

    @Override
    public InetSocketAddress address() {
        return server.readPublishedAddress();
    }

    @Override
    public Connection connect() throws SQLException {
        try {
            return server.connect(settings.database());
        } catch (dev.stateful.error.ServerNotRunningException e) {
            // The container exited while starting (an image that cannot run on the volume, say):
            // the wait's next look at its status reports that as a startup failure, with the log.
            throw e.getCause() instanceof SQLException cause ? cause : new SQLException(e.getMessage(), e);
        }
    }
}
