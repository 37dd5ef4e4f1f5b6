package dev.stateful.internal.dump;

import dev.stateful.error.DumpException;
import dev.stateful.internal.Server;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.pg.DumpCommands;
import dev.stateful.internal.pg.PgCommands;
import java.io.OutputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handle's database in its container, and the short commands dumps run there as the server's
 * superuser: a query, psql statements, recreating the database, removing a temporary path.
 */
final class ContainerDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerDatabase.class);
    /** How many lines of a tool's output a message keeps. */
    static final int TAIL_LINES = 20;

    final DockerEngine engine;
    final String containerId;
    final String role;
    final String database;
    final String image;

    ContainerDatabase(Server server) {
        this.engine = server.engine();
        this.containerId = server.containerId();
        this.role = server.username();
        this.database = server.database();
        this.image = server.image();
    }

    /** Run a command as the container's Postgres OS user and collect its output. */
    ExecResult exec(List<String> argv) {
        return engine.exec(containerId, PgCommands.OS_USER, argv);
    }

    /** Run a command as the container's Postgres OS user, streaming its standard output. */
    ExecResult exec(List<String> argv, OutputStream stdout) {
        return engine.exec(containerId, PgCommands.OS_USER, argv, stdout);
    }

    /** The non-empty lines a query of the maintenance database returns. */
    List<String> query(String sql) {
        ExecResult result = exec(DumpCommands.psqlQuery(role, DumpCommands.maintenanceDatabase(database), sql));
        if (!result.succeeded()) {
            throw new DumpException("Query '" + sql + "' failed: " + result.stderrTail(5) + ". Expected role '" + role
                    + "' to read the catalog. Fix: see psql's output.");
        }
        return result.stdoutText().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Run statements with psql, connected to a database. */
    void psql(String connectTo, List<String> commands) {
        ExecResult result = exec(DumpCommands.psqlCommands(role, connectTo, commands));
        if (!result.succeeded()) {
            throw new DumpException("Preparing database '" + database + "' failed: psql exited with "
                    + result.exitCode() + " running " + commands + ". Expected role '" + role + "' to be allowed to "
                    + "drop and create it (the image's POSTGRES_USER is). Fix: see psql's output:\n"
                    + result.stderrTail(TAIL_LINES), result.stderrTail(TAIL_LINES), List.of(), List.of(), null);
        }
    }

    /** Replace the database by an empty one, ending its sessions first. */
    void recreate() {
        psql(DumpCommands.maintenanceDatabase(database), DumpCommands.recreateDatabase(database, role));
        LOG.debug("Recreated database {}", database);
    }

    /** Remove a temporary path in the container, logging a failure. */
    void removeQuietly(String remote) {
        try {
            ExecResult result = engine.exec(containerId, DumpCommands.ROOT, DumpCommands.remove(remote));
            if (!result.succeeded()) {
                LOG.warn("Could not remove {} in the container: {}", remote, result.stderrTail(3));
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not remove {} in the container: {}", remote, e.getMessage());
        }
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
