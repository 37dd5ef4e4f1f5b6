package dev.stateful.internal;

import dev.stateful.internal.engine.ContainerStatus;
import dev.stateful.internal.engine.DockerEngine;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Postgres server of one handle: its container on the named volume, which it creates,
 * starts and waits for, stops, kills and removes, and the port the container publishes now. It
 * is the {@link Server} view that the capabilities work on.
 *
 * <p>Every step holds the lock of its owner, the handle, so the handle's own synchronized methods
 * and a capability's sequence under {@link #lock()} are serialised alike. Messages name the owner
 * (its {@code toString()}). Not API.
 */
public final class PostgresContainer implements Server {
    /** The handle's log category, where users find the lifecycle lines. */
    static final Logger LOG = LoggerFactory.getLogger("dev.stateful.StatefulPostgres");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How long the removal of a shared server waits for the class databases still being dropped. */
    private static final long DROPS_DEADLINE_MILLIS = 60_000;

    private final DockerEngine engine;
    private final ContainerSettings settings;
    private final Object owner;
    private final Runnable onCreated;
    /** The server this one's database lives on when it shares a server ({@code stateful.server=shared}), else null. */
    private final PostgresContainer host;
    /** The class databases this server drops in the background (a shared server's), or null on a database of a shared server. */
    private final DatabaseDrops drops;
    private boolean databaseCreated;

    private volatile String image;
    private String dataDirectory;
    private volatile String containerId;
    private volatile int hostPort = -1;
    private boolean closed;

    /**
     * Describe a server; nothing exists in Docker until {@link #start()}.
     *
     * @param engine the engine, with the handle's command and engine deadlines
     * @param settings the resolved settings
     * @param image the image to run
     * @param owner the handle: the lock of every step, and what messages name
     * @param onCreated called each time a container was created (to clean it up at shutdown)
     */
    public PostgresContainer(DockerEngine engine, ContainerSettings settings, String image, Object owner,
            Runnable onCreated) {
        this.engine = engine;
        this.settings = settings;
        this.image = image;
        this.owner = owner;
        this.onCreated = onCreated;
        this.host = null;
        this.drops = new DatabaseDrops(settings.volumeName());
    }

    /**
     * Describe a database of its own on another handle's running server: the shared server of
     * {@code stateful.server=shared}. {@link #start()} creates the database, closing drops it;
     * every operation on the server itself (stop, restart, kill, recreate, volume snapshots and
     * backups) fails with {@link #requireOwnServer(String)}'s message before any side effect.
     *
     * @param host the shared server, running
     * @param database the database of this handle, which must not exist yet
     * @param owner the handle: the lock of every step, and what messages name
     * @return the server view
     */
    public static PostgresContainer onServerOf(PostgresContainer host, String database, Object owner) {
        return new PostgresContainer(host, database, owner);
    }

    private PostgresContainer(PostgresContainer host, String database, Object owner) {
        ContainerSettings h = host.settings;
        this.engine = host.engine;
        this.settings = new ContainerSettings(h.volumeName(), database, h.username(), h.password(),
                h.passwordGenerated(), h.durable(), h.env(), h.initScripts(), h.startupTimeout(), false,
                h.volumeDriverOpts(), h.bindAddress(), h.serverSettings());
        this.image = host.image;
        this.owner = owner;
        this.onCreated = () -> { };
        this.host = host;
        this.drops = null;
    }

    /**
     * Tell whether this handle shares another handle's server.
     *
     * @return {@code true} with {@code stateful.server=shared}
     */
    @Override
    public boolean sharesServer() {
        return host != null;
    }

    @Override
    public void requireOwnServer(String operation) {
        if (host != null) {
            throw new dev.stateful.error.InvalidArgumentException(operation + " on " + owner + ": this handle's "
                    + "database '" + settings.database() + "' lives on a Postgres server shared with other test "
                    + "classes (stateful.server=shared, the default), and " + operation + " would act on that whole "
                    + "server; expected a server of its own for this operation. Fix: give the class "
                    + "@WithVolume(ownServer = true) (or run with stateful.server=own).");
        }
    }

    // ------------------------------------------------------------------ the server view

    @Override
    public DockerEngine engine() {
        return engine;
    }

    @Override
    public String volumeName() {
        return settings.volumeName();
    }

    @Override
    public String image() {
        synchronized (owner) {
            return image;
        }
    }

    @Override
    public String containerId() {
        if (host != null) {
            return host.containerId();
        }
        synchronized (owner) {
            if (containerId == null) {
                throw new IllegalStateException(owner + " has no container; call start()");
            }
            return containerId;
        }
    }

    @Override
    public String dataDirectory() {
        if (host != null) {
            return host.dataDirectory();
        }
        synchronized (owner) {
            if (dataDirectory == null) {
                dataDirectory = PostgresImages.dataDirectory(engine, image);
            }
            return dataDirectory;
        }
    }

    @Override
    public String username() {
        return settings.username();
    }

    @Override
    public String password() {
        return settings.password();
    }

    @Override
    public String database() {
        return settings.database();
    }

    @Override
    public Connection connect(String databaseName) throws SQLException {
        InetSocketAddress address;
        synchronized (owner) {
            address = address();
        }
        try {
            return connect(address, databaseName);
        } catch (SQLException e) {
            failIfNotRunning("connecting to database '" + databaseName + "'", e);
            throw e;
        }
    }

    /** Open a session at a given address, without the lock (nor a check of the container when it fails). */
    private Connection connect(InetSocketAddress address, String databaseName) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.username());
        props.setProperty("password", settings.password());
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "5");
        String url = "jdbc:postgresql://" + address.getHostString() + ":" + address.getPort() + "/" + databaseName;
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + url);
        }
        return c;
    }

    @Override
    public void failIfNotRunning(String call, Throwable failure) {
        if (!ServerNotRunning.isConnectionFailure(failure)) {
            return;
        }
        if (host != null) {
            // A database on a shared server: it is the server's container that stopped.
            host.failIfNotRunning(call, failure);
            return;
        }
        ContainerStatus status;
        String id;
        synchronized (owner) {
            id = containerId;
            if (id == null || closed) {
                return;
            }
            try {
                status = engine.status(id);
            } catch (RuntimeException e) {
                LOG.debug("cannot inspect container {} after a failed connection: {}", id, e.getMessage());
                return;
            }
            if (status.running()) {
                return;
            }
        }
        String logs;
        try {
            logs = status.exists() ? engine.logTail(id, ServerNotRunning.LOG_LINES) : "(the container is gone, and its log with it)";
        } catch (RuntimeException e) {
            logs = "(cannot read the log: " + e.getMessage() + ")";
        }
        throw ServerNotRunning.exception(call, settings.volumeName(), id, status, logs, failure);
    }

    @Override
    public boolean isRunning() {
        if (host != null) {
            return !closed && host.isRunning();
        }
        synchronized (owner) {
            return containerId != null && engine.status(containerId).running();
        }
    }

    @Override
    public Object lock() {
        return owner;
    }

    @Override
    public void start() {
        if (host != null) {
            // The shared server stopped (the engine restarted, say): start it again on its volume.
            synchronized (host.owner) {
                if (!host.isRunning()) {
                    host.start();
                }
            }
            startOnHost();
            return;
        }
        synchronized (owner) {
            ensureOpen();
            if (containerId == null || !engine.status(containerId).exists()) {
                createContainer();
            }
            engine.start(containerId);
            new ServerReadiness(this, settings).await();
            SessionEvents.sessionsEnded(this);
        }
    }

    @Override
    public void stop() {
        requireOwnServer("stop()");
        synchronized (owner) {
            ensureOpen();
            engine.stop(containerId(), STOP_TIMEOUT);
            hostPort = -1;
            LOG.info("Stopped Postgres on volume {}", settings.volumeName());
        }
    }

    @Override
    public void createVolume() {
        requireOwnServer("createVolume()");
        synchronized (owner) {
            ensureOpen();
            ContainerLauncher.createVolumeIfMissing(engine, settings);
        }
    }

    @Override
    public void ensureStoppedContainer() {
        requireOwnServer("a volume operation");
        synchronized (owner) {
            ensureOpen();
            if (containerId == null) {
                ContainerLauncher.createVolumeIfMissing(engine, settings);
                createContainer();
            } else if (isRunning()) {
                stop();
            }
        }
    }

    @Override
    public String containerState() {
        if (host != null) {
            return host.containerState() + " (a shared server; this handle's database is '" + settings.database() + "')";
        }
        synchronized (owner) {
            if (containerId == null) {
                return "no container (not started, or removed)";
            }
            ContainerStatus status;
            try {
                status = engine.status(containerId);
            } catch (RuntimeException e) {
                return "unknown: the engine did not say (" + e.getMessage() + ")";
            }
            if (!status.exists()) {
                return "gone: the Docker engine has no container " + containerId.substring(0, 12)
                        + " any more (it was removed outside the test, or the engine restarted on other data)";
            }
            if (status.running()) {
                return "running";
            }
            return "not running (exit code " + status.exitCode()
                    + (status.oomKilled() ? ", killed for lack of memory" : "")
                    + "): the test stopped it, or the Docker engine restarted, or something outside the test stopped it";
        }
    }

    // ------------------------------------------------------------------ the handle's lifecycle

    /**
     * Fail when the handle was closed.
     *
     * @throws IllegalStateException when it was
     */
    public void ensureOpen() {
        synchronized (owner) {
            if (closed) {
                throw new IllegalStateException(owner + " is closed");
            }
        }
    }

    /**
     * Mark the handle closed: every later lifecycle step fails.
     *
     * @return {@code false} when it was closed already
     */
    public boolean markClosed() {
        synchronized (owner) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /**
     * Return the image without taking the lock: for descriptions, which must not wait for a
     * lifecycle step.
     *
     * @return the image reference
     */
    public String imageNow() {
        return image;
    }

    /**
     * Return where the server listens now.
     *
     * @return the host and the published port
     * @throws IllegalStateException when the server is not running
     */
    public InetSocketAddress address() {
        if (host != null) {
            return host.address();
        }
        synchronized (owner) {
            if (hostPort < 0) {
                throw new IllegalStateException(owner + " is not running; call start()");
            }
            return InetSocketAddress.createUnresolved(engine.hostAddress(), hostPort);
        }
    }

    /**
     * Return the last lines of the container's log.
     *
     * @param lines how many lines at most
     * @return the log tail, or a note when there is no container
     */
    public String logTail(int lines) {
        if (host != null) {
            return host.logTail(lines);
        }
        synchronized (owner) {
            return containerId == null ? "(no container)" : engine.logTail(containerId, lines);
        }
    }

    /** Remove the container and start a new one from the same image on the same volume. */
    public void recreate() {
        requireOwnServer("recreate()");
        synchronized (owner) {
            ensureOpen();
            removeContainer(true);
            start();
        }
    }

    /**
     * Remove the container and start a new one from another image on the same volume; the image
     * is checked before the container is removed.
     *
     * @param newImage the image to run
     */
    public void recreate(String newImage) {
        requireOwnServer("recreate(image)");
        synchronized (owner) {
            ensureOpen();
            PostgresImages.requireReference("recreate(image)", newImage);
            String dir = PostgresImages.dataDirectory(engine, newImage);
            removeContainer(true);
            this.image = newImage;
            this.dataDirectory = dir;
            start();
        }
    }

    /** Crash the server with SIGKILL, then start the same container again (crash recovery). */
    public void kill() {
        requireOwnServer("kill()");
        synchronized (owner) {
            ensureOpen();
            engine.kill(containerId());
            hostPort = -1;
            LOG.info("Killed Postgres on volume {} (SIGKILL)", settings.volumeName());
            start();
        }
    }

    /** Remove the container and the volume: the data is gone. */
    public void removeVolume() {
        requireOwnServer("removeVolume()");
        synchronized (owner) {
            ensureOpen();
            removeContainer(false);
            engine.removeVolume(settings.volumeName());
            LOG.info("Removed volume {}", settings.volumeName());
        }
    }

    /**
     * Remove the container (after a graceful stop when the volume stays, so that every committed
     * row is on disk), then the volume when asked and the snapshot volumes. Every step is tried
     * even when one fails.
     *
     * @param removeVolume whether to remove the volume
     * @param snapshotVolumes the handle's snapshot volumes, to remove
     * @param leftovers what could not be removed is added here, with the engine's reason
     */
    public void removeAll(boolean removeVolume, List<String> snapshotVolumes, List<String> leftovers) {
        if (host != null) {
            dropOnHostLater();
            return;
        }
        // A shared server: the class databases still being dropped go with it, but a failed drop is reported.
        drops.finish(DROPS_DEADLINE_MILLIS, leftovers);
        synchronized (owner) {
            String container = containerId;
            try {
                try {
                    removeContainer(!removeVolume);
                } catch (RuntimeException e) {
                    LOG.warn("Graceful cleanup of {} failed ({}); removing the container", owner, e.getMessage());
                    if (containerId != null) {
                        engine.removeContainer(containerId);
                        containerId = null;
                    }
                }
            } catch (RuntimeException e) {
                leftovers.add("container " + container + " (" + e.getMessage() + ")");
            }
            removeVolumes(removeVolume, snapshotVolumes, leftovers);
        }
    }

    /**
     * Remove the container, the volume when asked and the snapshot volumes, without taking the
     * lock: for the shutdown hook when a test thread still holds it.
     *
     * @param removeVolume whether to remove the volume
     * @param snapshotVolumes the handle's snapshot volumes, to remove
     * @param leftovers what could not be removed is added here, with the engine's reason
     */
    public void removeUnlocked(boolean removeVolume, List<String> snapshotVolumes, List<String> leftovers) {
        if (host != null) {
            // The shared server's own handle removes its container at shutdown, and the database with it.
            return;
        }
        String container = containerId;
        if (container != null) {
            try {
                engine.removeContainer(container);
            } catch (RuntimeException e) {
                leftovers.add("container " + container + " (" + e.getMessage() + ")");
            }
        }
        removeVolumes(removeVolume, snapshotVolumes, leftovers);
    }

    // ------------------------------------------------------------------ for ServerReadiness

    /** The container id, or {@code null}, without a check. */
    String currentContainerId() {
        return containerId;
    }

    /** Read the port the container publishes now, and return where the server listens. */
    InetSocketAddress readPublishedAddress() {
        synchronized (owner) {
            hostPort = engine.mappedPort(containerId, ContainerLauncher.PORT);
            return address();
        }
    }

    // ------------------------------------------------------------------ internals

    /** Create this handle's database on the shared server, once. */
    private void startOnHost() {
        startOnHost(null);
    }

    /**
     * Create this handle's database on the shared server as a copy of a template database there
     * ({@code CREATE DATABASE ... TEMPLATE ... STRATEGY FILE_COPY} on Postgres 15 and later), in
     * place of an empty one; a database created already is left as it is.
     *
     * @param template a database on the shared server that no session is connected to
     */
    public void startFromTemplate(String template) {
        if (host == null) {
            throw new IllegalStateException(owner + " has a server of its own; a template copy is for a shared server");
        }
        startOnHost(java.util.Objects.requireNonNull(template, "template"));
    }

    /**
     * Copy this handle's database, which it is connected to by no session afterwards, into a new
     * database on the shared server: to keep a prepared state as a template for other classes.
     *
     * @param target the new database
     */
    public void copyDatabaseTo(String target) {
        synchronized (owner) {
            try (Connection c = host.connect("postgres"); java.sql.Statement st = c.createStatement()) {
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM "
                        + "pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                    ps.setString(1, settings.database());
                    ps.executeQuery().close();
                }
                st.execute("CREATE DATABASE " + dev.stateful.internal.pg.SqlIdentifiers.quote(target) + " TEMPLATE "
                        + dev.stateful.internal.pg.SqlIdentifiers.quote(settings.database()) + fileCopy(c));
            } catch (SQLException e) {
                throw new dev.stateful.error.StartupException("could not copy database '" + settings.database()
                        + "' of " + owner + " into template '" + target + "' on the shared server: " + e.getMessage()
                        + ". Expected no other session on it. Fix: run with stateful.server=own.", e);
            }
        }
    }

    /**
     * Take a database made ahead on the shared server as this handle's database, with the
     * databases made beside it, by renames in one transaction: {@code ready} becomes this handle's
     * database and {@code ready + suffix} becomes {@code database() + suffix} for each suffix. No
     * session may be connected to any of them.
     *
     * @param c a session of the shared server's, kept by the caller, not in a transaction
     * @param ready a database on the shared server that no session is connected to
     * @param suffixes the suffixes of the databases made beside it (such as a snapshot's)
     * @throws SQLException when a rename fails (nothing is renamed then)
     */
    public void startFromReady(Connection c, String ready, List<String> suffixes) throws SQLException {
        if (host == null) {
            throw new IllegalStateException(owner + " has a server of its own; a ready database is for a shared server");
        }
        synchronized (owner) {
            ensureOpen();
            if (databaseCreated) {
                throw new IllegalStateException("database '" + settings.database() + "' of " + owner + " exists already");
            }
            try (java.sql.Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                try {
                    st.execute(rename(ready, settings.database()));
                    for (String suffix : suffixes) {
                        st.execute(rename(ready + suffix, settings.database() + suffix));
                    }
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            databaseCreated = true;
        }
    }

    private static String rename(String from, String to) {
        return "ALTER DATABASE " + dev.stateful.internal.pg.SqlIdentifiers.quote(from) + " RENAME TO "
                + dev.stateful.internal.pg.SqlIdentifiers.quote(to);
    }

    /**
     * Drop this handle's database on the shared server with its snapshot databases, to build its
     * state again (the class's baseline was lost); {@link #start()} or a template copy creates it
     * again.
     */
    public void dropDatabaseOnHost() {
        if (host == null) {
            throw new IllegalStateException(owner + " has a server of its own; only a shared server's database is dropped");
        }
        List<String> leftovers = new java.util.ArrayList<>();
        dropOnHost(leftovers);
        if (!leftovers.isEmpty()) {
            throw new dev.stateful.error.StatefulException("could not drop " + String.join(", ", leftovers) + " of "
                    + owner + " to build its state again. Fix: check the shared server's log.");
        }
    }

    private static String fileCopy(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY FILE_COPY" : "";
    }

    private void startOnHost(String template) {
        synchronized (owner) {
            ensureOpen();
            if (databaseCreated) {
                return;
            }
            long started = System.nanoTime();
            try (Connection c = host.connect("postgres"); java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + dev.stateful.internal.pg.SqlIdentifiers.quote(settings.database())
                        + (template == null ? "" : " TEMPLATE " + dev.stateful.internal.pg.SqlIdentifiers.quote(template)
                        + fileCopy(c)));
            } catch (SQLException e) {
                throw new dev.stateful.error.StartupException("could not create database '" + settings.database()
                        + "' for " + owner + " on the shared server " + host.volumeName() + ": " + e.getMessage()
                        + ". Expected the shared server to accept it. Fix: check the shared server's log, or run "
                        + "with stateful.server=own.", e);
            }
            databaseCreated = true;
            LOG.info("Created database {} on the shared server {}{} in {} ms", settings.database(), host.volumeName(),
                    template == null ? "" : " from template " + template, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Drop this handle's database from the shared server in the background, once its class ended:
     * the next class does not wait for it. Its sessions, the reset's among them, are closed by now
     * (the reset's own session drops its temporary logical slot before it closes, and
     * {@code DROP DATABASE} refuses a database with an active slot); the others are ended by the
     * drop. The shared server's removal waits for the drop and reports it when it failed.
     */
    private void dropOnHostLater() {
        String database;
        synchronized (owner) {
            host.drops.setupEnded(settings.database());
            if (!databaseCreated) {
                return;
            }
            databaseCreated = false;
            database = settings.database();
        }
        host.drops.submit(leftovers -> dropDatabases(host, database, leftovers));
    }

    /**
     * Say that this handle's class begins its setup on the shared server (it takes its database,
     * then its baseline): the server's background drops wait until {@link #classSetupEnded()}, as
     * the reset's logical slot, created in that setup, waits for every transaction running on
     * the server. Nothing on a server of its own.
     */
    public void classSetupBegins() {
        if (host != null) {
            host.drops.setupBegins(settings.database());
        }
    }

    /** Say that this handle's class ended its setup on the shared server (see {@link #classSetupBegins()}). */
    public void classSetupEnded() {
        if (host != null) {
            host.drops.setupEnded(settings.database());
        }
    }

    /**
     * Drop this handle's database from the shared server now, with its snapshot databases and
     * ready clones; the caller ended the reset's own session first.
     */
    private void dropOnHost(List<String> leftovers) {
        synchronized (owner) {
            if (!databaseCreated) {
                return;
            }
            if (dropDatabases(host, settings.database(), leftovers)) {
                databaseCreated = false;
            }
        }
    }

    /**
     * Drop a database from a shared server with its snapshot databases, reference copies and ready
     * clones (named after it: {@code <database>__...}); nothing else of the server's. Nothing to
     * do when the server is not running (it goes with its volume).
     *
     * @return whether they are gone
     */
    private static boolean dropDatabases(PostgresContainer host, String database, List<String> leftovers) {
        // Without the server's lock: its removal holds it while it waits for the drops.
        String id = host.containerId;
        int port = host.hostPort;
        if (id == null || port < 0 || !host.engine.status(id).running()) {
            return true;
        }
        long started = System.nanoTime();
        InetSocketAddress address = InetSocketAddress.createUnresolved(host.engine.hostAddress(), port);
        try (Connection c = host.connect(address, "postgres"); java.sql.Statement st = c.createStatement()) {
            List<String> names = new java.util.ArrayList<>();
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT datname FROM pg_database "
                    + "WHERE datname = ? OR left(datname, ?) = ? ORDER BY datname DESC")) {
                ps.setString(1, database);
                ps.setInt(2, database.length() + 2);
                ps.setString(3, database + "__");
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            for (String name : names) {
                String quoted = dev.stateful.internal.pg.SqlIdentifiers.quote(name);
                try {
                    st.execute("ALTER DATABASE " + quoted + " IS_TEMPLATE false");
                } catch (SQLException e) {
                    if (!"3D000".equals(e.getSQLState())) {
                        throw e;
                    }
                    continue; // dropped since it was listed
                }
                st.execute("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)");
            }
            LOG.info("Dropped database {} and its {} snapshot databases from the shared server {} in {} ms", database,
                    names.size() - (names.contains(database) ? 1 : 0), host.volumeName(),
                    (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (SQLException e) {
            leftovers.add("database '" + database + "' on the shared server (" + e.getMessage() + ")");
            return false;
        }
    }

    private void createContainer() {
        String dir = dataDirectory();
        containerId = ContainerLauncher.create(engine, settings, image, dir);
        onCreated.run();
    }

    private void removeContainer(boolean graceful) {
        if (containerId == null) {
            return;
        }
        if (graceful && engine.status(containerId).running()) {
            engine.stop(containerId, STOP_TIMEOUT);
        }
        engine.removeContainer(containerId);
        containerId = null;
        hostPort = -1;
    }

    private void removeVolumes(boolean removeVolume, List<String> snapshotVolumes, List<String> leftovers) {
        if (removeVolume) {
            removeVolumeInto(settings.volumeName(), "volume", leftovers);
        }
        for (String snapshotVolume : snapshotVolumes) {
            removeVolumeInto(snapshotVolume, "snapshot volume", leftovers);
        }
    }

    private void removeVolumeInto(String volume, String what, List<String> leftovers) {
        try {
            engine.removeVolume(volume);
        } catch (RuntimeException e) {
            leftovers.add(what + " '" + volume + "' (" + e.getMessage() + ")");
        }
    }
}
