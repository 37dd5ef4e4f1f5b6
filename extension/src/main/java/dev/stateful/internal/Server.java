package dev.stateful.internal;

import dev.stateful.internal.engine.DockerEngine;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The narrow view of one running Postgres server that Stateful's capability packages work on:
 * which container, image and volume it is, how to connect to one of its databases, and the
 * engine to run commands and copies through. {@link PostgresContainer} implements it for each
 * handle; capabilities never see the handle itself.
 *
 * <p>Not API: part of {@code dev.stateful.internal}, may change in any release.
 */
public interface Server {
    /**
     * The engine the server's container, volume and commands live on.
     *
     * @return the engine, with this server's command and engine deadlines
     */
    DockerEngine engine();

    /**
     * The named volume that holds the data directory.
     *
     * @return the volume name
     */
    String volumeName();

    /**
     * The image the container runs now.
     *
     * @return the image reference
     */
    String image();

    /**
     * The current container's id.
     *
     * @return the id
     * @throws IllegalStateException when no container exists
     */
    String containerId();

    /**
     * The data directory ({@code PGDATA}) inside the container.
     *
     * @return the absolute path
     */
    String dataDirectory();

    /**
     * The role the handle connects as (the cluster's superuser).
     *
     * @return the role name
     */
    String username();

    /**
     * The password of {@link #username()}, for tools that connect on their own (a migrator
     * image); never log it.
     *
     * @return the password
     */
    String password();

    /**
     * The database tests use.
     *
     * @return the database name
     */
    String database();

    /**
     * Open a connection to one database of the server as {@link #username()}.
     *
     * @param database the database, for example {@code postgres} for administration
     * @return a connection the caller closes
     * @throws SQLException when the server refuses it
     */
    Connection connect(String database) throws SQLException;

    /**
     * Tell whether the container is running.
     *
     * @return {@code true} when it runs
     */
    boolean isRunning();

    /**
     * The monitor that serialises the server's lifecycle operations: hold it around a sequence
     * (stop, copy, start) that no other lifecycle call may interleave with.
     *
     * @return the lock object
     */
    Object lock();

    /**
     * Fail, before any side effect, when this server view is a database on a server shared with
     * other classes ({@code stateful.server=shared}): for operations on the whole server.
     *
     * @param operation what the caller was asked to do, as the message names it
     * @throws dev.stateful.error.InvalidArgumentException naming the operation and the setting
     *     that gives the class a server of its own
     */
    default void requireOwnServer(String operation) {
    }

    /**
     * Tell whether this server view is a database on a server shared with other classes.
     *
     * @return {@code true} with {@code stateful.server=shared}
     */
    default boolean sharesServer() {
        return false;
    }

    /** Start the server (creating its container when needed) and wait until it accepts queries. */
    void start();

    /** Stop the server gracefully; the volume and the container stay. */
    void stop();

    /**
     * Create the volume when it does not exist yet, with this server's labels and driver options
     * (a tmpfs size): to copy a data directory into it before the first {@link #start()}.
     */
    void createVolume();

    /**
     * Make sure a stopped container exists on the volume: stop the running one, or create the
     * volume and a container (not started) when there is none; to write into its data directory.
     */
    void ensureStoppedContainer();

    /**
     * Describe the container's state for failure messages (status, exit code, OOM kill).
     *
     * @return a short description
     */
    String containerState();

    /**
     * Turn a refused or broken connection into a {@link dev.stateful.error.ServerNotRunningException}
     * when the container is not running; return normally when it runs, or when the failure is not
     * one of the connection (a syntax error, a constraint), for the caller to report as before.
     *
     * @param call what failed, for the message ({@code "connection()"}, {@code "restore('base')"})
     * @param failure the failure, or one whose causes hold an {@link java.sql.SQLException}
     * @throws dev.stateful.error.ServerNotRunningException when the container is not running
     */
    void failIfNotRunning(String call, Throwable failure);
}
