package dev.stateful;

import dev.stateful.dump.DumpFormat;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.snapshot.SnapshotStore;
import dev.stateful.internal.snapshot.VolumeBackups;
import dev.stateful.snapshot.BackupKind;
import dev.stateful.dump.DumpSource;
import dev.stateful.dump.Dumps;
import dev.stateful.error.DumpException;
import dev.stateful.error.EngineUnavailableException;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.MigrationException;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.error.StartupException;
import dev.stateful.error.StatefulException;
import dev.stateful.internal.ContainerSettings;
import dev.stateful.internal.HandleArguments;
import dev.stateful.internal.Passwords;
import dev.stateful.internal.PostgresContainer;
import dev.stateful.internal.PostgresImages;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.SessionEvents;
import dev.stateful.snapshot.Backups;
import dev.stateful.internal.migrate.MigrationsAccess;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.EngineSettings;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.migrate.Migrations;
import dev.stateful.migrate.SafetyObservation;
import dev.stateful.snapshot.Snapshots;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hold one Postgres container and the named Docker volume its data lives on.
 *
 * <p>A handle does to a database what operators do: {@link #restart()}, {@link #stop()} and
 * {@link #start()}, {@link #recreate()} the container on the same volume, {@link #recreate(String)}
 * with another image (an upgrade), {@link #kill()} it (crash recovery) and
 * {@link #removeVolume()}. Every lifecycle method returns once the server really accepts
 * queries again; {@link #jdbcUrl()} and {@link #dataSource()} follow the container when its
 * published port changes.
 *
 * <pre>{@code
 * try (StatefulPostgres db = StatefulPostgres.builder().volume("orders-db").start()) {
 *     try (Connection c = db.connection()) { ... }
 *     db.recreate("postgres:17.2");   // same volume, new image
 * }
 * }</pre>
 *
 * <p>The everyday verbs are on the handle: {@link #snapshot(String)} and {@link #restore(String)},
 * {@link #migrate()} and {@link #migrateTo(String)}. The less frequent ones are on the capability
 * they belong to: {@link #snapshots()}, {@link #migrations()}, {@link #dumps()} and
 * {@link #backups()}.
 *
 * <p>Use it from JUnit with {@code @WithVolume}, or on its own through {@link #builder()}.
 * Thread-safe: lifecycle methods are serialised. The container machinery lives in
 * {@code dev.stateful.internal} (not API); this class is the user's API over it.
 */
public final class StatefulPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatefulPostgres.class);

    private final PostgresContainer server;
    private final boolean removeVolumeOnClose;
    private final SnapshotStore snapshots;
    private final Dumps dumps = new HandleDumps(this);
    private final Backups backups = new HandleBackups(this);
    private final Migrations migrations;

    static {
        HandleAccess.install(handle -> ((StatefulPostgres) handle).server);
    }

    private StatefulPostgres(Builder b, DockerEngine engine) {
        boolean passwordGenerated = b.password == null;
        ContainerSettings settings = new ContainerSettings(b.volume, b.database, b.username,
                passwordGenerated ? Passwords.random() : b.password, passwordGenerated, b.durable, b.env,
                b.initScripts, b.startupTimeout, b.removeVolumeOnClose, b.tmpfsSize == null ? Map.of()
                        : Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=" + b.tmpfsSize), b.bindAddress,
                b.serverSettings);
        this.server = b.sharedServer == null
                ? new PostgresContainer(engine, settings, b.image, this, () -> OpenHandles.add(this))
                : PostgresContainer.onServerOf(b.sharedServer.server, b.database, this);
        this.removeVolumeOnClose = b.removeVolumeOnClose;
        this.migrations = MigrationsAccess.create(Migrations.class, server, new HandleDataSource(this),
                b.migrationSettings, b.migrationSafety);
        this.snapshots = new SnapshotStore(server, b.snapshotPool, b.tableReset);
    }

    /**
     * Start building a handle.
     *
     * @return a builder with defaults: generated volume name, and every {@link Setting} from its
     *     system property, environment variable or default ({@link StatefulSettings#fromSystem()})
     * @throws InvalidArgumentException when a system property or environment variable is invalid
     */
    public static Builder builder() {
        return new Builder(StatefulSettings.fromSystem());
    }

    /**
     * Start building a handle on settings resolved elsewhere (the JUnit extension resolves them
     * once per run from its configuration parameters).
     *
     * @param settings the resolved settings that give the builder's defaults
     * @return a builder
     */
    public static Builder builder(StatefulSettings settings) {
        return new Builder(Objects.requireNonNull(settings, "settings"));
    }

    // ------------------------------------------------------------------ access

    /**
     * Return the JDBC URL of the running server, with the port published now.
     *
     * @return {@code jdbc:postgresql://host:port/database}
     * @throws IllegalStateException when the server is not running
     */
    public synchronized String jdbcUrl() {
        InetSocketAddress address = server.address();
        return "jdbc:postgresql://" + address.getHostString() + ":" + address.getPort() + "/" + server.database();
    }

    /**
     * Return the role tests connect as.
     *
     * @return the user name
     */
    public String username() {
        return server.username();
    }

    /**
     * Return the role's password: random per handle unless the builder was given one.
     *
     * @return the password
     */
    public String password() {
        return server.password();
    }

    /**
     * Return the database tests connect to.
     *
     * @return the database name
     */
    public String database() {
        return server.database();
    }

    /**
     * Return a {@link DataSource} that always connects to the current container, also after a
     * restart or recreate moved its port.
     *
     * @return a data source (not pooled)
     */
    public DataSource dataSource() {
        return new HandleDataSource(this);
    }

    /**
     * Open a new connection to the database.
     *
     * @return a connection the caller closes
     * @throws SQLException when the server refuses it
     * @throws dev.stateful.error.ServerNotRunningException when the connection is refused because the container
     *         stopped behind the handle's back (the engine restarted, something outside the test stopped it)
     */
    public Connection connection() throws SQLException {
        return server.connect(server.database());
    }

    /**
     * Take a fingerprint of every user table (row counts and content hashes), to compare with
     * one taken after an operation.
     *
     * @return the fingerprint of the database now
     * @throws StatefulException when a query fails
     * @throws IllegalStateException when the server is not running
     * @see DatabaseFingerprint#diff(DatabaseFingerprint)
     */
    public DatabaseFingerprint fingerprint() {
        return DatabaseFingerprint.of(this);
    }

    /**
     * Return the name of the Docker volume holding the data directory.
     *
     * @return the volume name
     */
    public String volumeName() {
        return server.volumeName();
    }

    /**
     * Return the id of the current container.
     *
     * @return the container id
     * @throws IllegalStateException when there is no container (after {@link #removeVolume()})
     */
    public synchronized String containerId() {
        return server.containerId();
    }

    /**
     * Return the image the current container runs.
     *
     * @return the image reference
     */
    public synchronized String image() {
        return server.image();
    }

    /**
     * Return whether the server runs now.
     *
     * @return {@code true} when the container is running
     */
    public synchronized boolean isRunning() {
        return server.isRunning();
    }

    /**
     * Return the last lines of the container's log.
     *
     * @param lines how many lines at most
     * @return the log tail, or a note when there is no container
     */
    public synchronized String logTail(int lines) {
        return server.logTail(lines);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Start the server: create the volume when missing and a container when there is none,
     * then wait until it accepts queries. A running server is left as it is.
     *
     * @return this handle
     */
    public synchronized StatefulPostgres start() {
        server.start();
        return this;
    }

    /**
     * Stop the server gracefully (fast shutdown); the container and the volume stay.
     */
    public synchronized void stop() {
        server.requireOwnServer("stop()");
        server.stop();
    }

    /**
     * Stop and start the same container.
     *
     * @return this handle
     */
    public synchronized StatefulPostgres restart() {
        server.requireOwnServer("restart()");
        stop();
        return start();
    }

    /**
     * Remove the container and start a new one from the same image on the same volume.
     *
     * @return this handle
     */
    public synchronized StatefulPostgres recreate() {
        server.recreate();
        return this;
    }

    /**
     * Remove the container and start a new one from another image on the same volume: the
     * upgrade (or downgrade) case. A data directory from another major version fails with
     * {@link StartupException} carrying the server's log; the volume is left untouched.
     *
     * @param newImage the image to run
     * @return this handle
     */
    public synchronized StatefulPostgres recreate(String newImage) {
        server.recreate(newImage);
        return this;
    }

    /**
     * Crash the server with SIGKILL, then start the same container again: Postgres runs crash
     * recovery from its WAL. Use a {@code durable} handle to check that committed data survives.
     *
     * @return this handle
     */
    public synchronized StatefulPostgres kill() {
        server.kill();
        return this;
    }

    /**
     * Remove the container and the volume, as {@code docker compose down -v}: the data is gone.
     * The next {@link #start()} begins on a new, empty volume of the same name.
     */
    public synchronized void removeVolume() {
        server.removeVolume();
    }

    /**
     * Remove the container, and the volume when this handle was built to remove it on close.
     * A volume that stays is left consistent: the server is stopped gracefully first, so that
     * even with {@code durable(false)} every committed row is on disk. Idempotent. Every step is
     * tried even when one fails.
     *
     * @throws StatefulException listing what could not be removed (the container, the volume,
     *     snapshot volumes), with the engine's reason for each
     */
    @Override
    public synchronized void close() {
        release(removeVolumeOnClose);
    }

    /**
     * Remove the container and the volume, whatever the builder said, and close the handle:
     * for volumes whose data must not outlive the test.
     */
    public synchronized void discard() {
        release(true);
    }

    /**
     * Try every step of the cleanup, also when one fails, then report what is left: a cleanup
     * that fails is a failure, not a line in the log.
     */
    private void release(boolean removeVolume) {
        if (!server.markClosed()) {
            return;
        }
        OpenHandles.remove(this);
        SessionEvents.forget(server);
        List<String> leftovers = new ArrayList<>();
        try {
            snapshots.close();
        } catch (RuntimeException e) {
            leftovers.add("the snapshot pool of database '" + server.database() + "' (" + e.getMessage() + ")");
        }
        server.removeAll(removeVolume, snapshots.volumeSnapshotVolumes(), leftovers);
        if (!leftovers.isEmpty()) {
            throw new StatefulException("cleanup of " + this + " could not remove " + String.join("; ", leftovers)
                    + ". Expected every container and volume Stateful created for it to be gone. Fix: stop what still "
                    + "uses them, then remove them (docker rm -f, docker volume rm); the next run's sweep removes "
                    + "ephemeral ones once their owner is gone.");
        }
    }

    /**
     * Remove the container, the volume when the handle removes it on close, and its snapshot
     * volumes, without taking the handle's lock: for the shutdown hook when a test thread still
     * holds it. Best effort: failures are logged.
     */
    void removeUnlocked() {
        List<String> leftovers = new ArrayList<>();
        server.removeUnlocked(removeVolumeOnClose, snapshots.volumeSnapshotVolumes(), leftovers);
        if (!leftovers.isEmpty()) {
            LOG.warn("Cleanup of {} at shutdown could not remove {}", this, String.join("; ", leftovers));
        }
    }

    // ------------------------------------------------------------------ snapshots


    /**
     * Take a snapshot of the database with a Postgres template database, replacing an earlier
     * snapshot of the same name. Other sessions connected to the database are terminated first.
     *
     * @param name 1 to 40 letters, digits, '_', '-' or '.', starting with a letter or digit (such as
     *     {@code with-role}); the same rule for database and volume snapshots
     */
    public void snapshot(String name) {
        SessionEvents.Ending ending = SessionEvents.ending(server);
        try {
            snapshots.snapshot(name);
        } finally {
            ending.close();
        }
    }

    /**
     * Put the database back to a snapshot: swap in a ready clone from the pool when there is one
     * (milliseconds), otherwise drop the database and create it again from the snapshot.
     * Other sessions connected to the database are terminated first.
     *
     * @param name a snapshot taken with {@link #snapshot(String)}
     * @throws InvalidArgumentException when there is no such snapshot
     */
    public void restore(String name) {
        SessionEvents.Ending ending = SessionEvents.ending(server);
        try {
            snapshots.restore(name);
        } finally {
            ending.close();
        }
    }

    /**
     * Return the less frequent snapshot operations: list and drop database snapshots, snapshot
     * and restore the whole volume, the next transaction id.
     *
     * @return this handle's snapshots
     */
    public Snapshots snapshots() {
        return snapshots;
    }

    /**
     * Return the backup files of this handle: back up to a file ({@link BackupKind#LOGICAL}, a
     * dump, or {@link BackupKind#VOLUME}, a tar of the data directory) and restore from one.
     *
     * @return this handle's backups
     */
    public Backups backups() {
        return backups;
    }

    @Override
    public String toString() {
        return "StatefulPostgres[volume=" + server.volumeName() + ", image=" + server.imageNow() + ", database="
                + server.database() + "]";
    }

    // ------------------------------------------------------------------ migrations and dumps
    // Thin delegations: the logic lives in dev.stateful.migrate.Migrations, HandleDumps and HandleBackups.

    /**
     * Return the migrations of this database: the settings given to the builder
     * ({@link Builder#migrations(MigrationSettings)}, or {@link MigrationSettings#defaults()}),
     * changed with {@link Migrations#use(MigrationSettings)}. The rarer verbs live there:
     * {@code migrateWith(image, command...)}, {@code schemaVersion()}, {@code pendingMigrations()}.
     *
     * @return the migrations of this handle (always the same object)
     */
    public Migrations migrations() {
        return migrations;
    }

    /**
     * Migrate to the settings' target, or to the latest version, with the tool the settings name
     * (Flyway, a Liquibase changelog or a migrator image).
     *
     * @return what was applied
     * @throws MigrationFailedException when a script fails; it says whether the schema was left
     *     half applied
     * @throws MigrationException when an applied script changed or an earlier migration failed
     */
    public MigrationResult migrate() {
        return migrations.migrate();
    }

    /**
     * Migrate to a target with the tool the settings name: a Flyway version, a Liquibase tag or
     * a migrator image's target.
     *
     * @param target such as {@code 3}, or {@code latest}
     * @return what was applied
     * @throws MigrationFailedException when a script fails
     * @throws MigrationException when the target is unknown (the message lists the known ones)
     *     or below the current one, or an applied script changed
     */
    public MigrationResult migrateTo(String target) {
        return migrations.migrateTo(target);
    }

    /**
     * Replace the database's content by a dump's, with {@link RestoreOptions#defaults()}. The
     * format is detected from the content: custom, directory, tar, plain SQL, or gzipped. The
     * everyday form of {@code dumps().restore(dump)}; {@link #dumps()} has the other overloads.
     *
     * @param dump a dump file or directory
     * @throws DumpException when the dump is missing or unusable, or the restore fails; the
     *     database is then left empty, never half restored
     */
    public void restoreDump(Path dump) {
        dumps.restore(dump);
    }

    /**
     * Return the logical dumps of this database: dump it to a file with {@code pg_dump}, restore a
     * dump of any format into it.
     *
     * @return this handle's dumps
     */
    public Dumps dumps() {
        return dumps;
    }

    /** Check the handle is open and its container exists, for the dumps and backups. */
    synchronized void ensureContainer() {
        server.ensureOpen();
        server.containerId();
    }

    /** The server, for the handle's own capabilities in this package. */
    PostgresContainer container() {
        return server;
    }


    /**
     * Build a {@link StatefulPostgres}: every argument is checked before anything is created.
     *
     * <pre>{@code
     * StatefulPostgres db = StatefulPostgres.builder()
     *         .volume("orders-db")          // reuse its data if it exists
     *         .image("postgres:17")
     *         .durable(true)                // keep fsync on: for crash tests
     *         .start();
     * }</pre>
     */
    public static final class Builder {
        private String volume;
        private Boolean removeVolumeOnCloseSetting;
        private boolean removeVolumeOnClose;
        private String image;
        private String database;
        private String username;
        private String password;
        private boolean durable;
        private StatefulPostgres sharedServer;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> serverSettings = new LinkedHashMap<>();
        private final Map<String, byte[]> initScripts = new LinkedHashMap<>();
        private Duration startupTimeout;
        private Duration commandTimeout;
        private Duration engineTimeout;
        private String bindAddress;
        private String nameHint = "";
        private int snapshotPool;
        private boolean tableReset;
        private MigrationSettings migrationSettings;
        private final SafetyObservation migrationSafety;
        private String tmpfsSize;
        private final EngineSettings engineSettings;

        private Builder(StatefulSettings settings) {
            engineSettings = settings.engineSettings();
            image = settings.get(Setting.IMAGE);
            database = settings.get(Setting.DATABASE);
            username = settings.get(Setting.USERNAME);
            startupTimeout = settings.get(Setting.STARTUP_TIMEOUT);
            commandTimeout = settings.get(Setting.COMMAND_TIMEOUT);
            engineTimeout = settings.get(Setting.ENGINE_TIMEOUT);
            bindAddress = settings.get(Setting.BIND_ADDRESS);
            snapshotPool = settings.get(Setting.SNAPSHOT_POOL);
            tableReset = settings.get(Setting.TABLE_RESET);
            migrationSettings = settings.migrationSettings();
            migrationSafety = SafetyObservation.defaults().withMaxBlocking(settings.get(Setting.MIGRATE_MAX_BLOCKING));
        }

        /**
         * Put this handle's database on the running server of another handle instead of a server
         * of its own: {@link #start()} creates the database named by {@link #database(String)}
         * there (it must not exist), {@link #close()} drops it. Operations on the whole server
         * (stop, restart, kill, recreate, removeVolume, volume snapshots and backups) then fail
         * with {@link InvalidArgumentException} before any side effect. The JUnit extension uses
         * it for {@code stateful.server=shared}; the image, volume, login and durability of this
         * builder are the other handle's.
         *
         * @param server a started handle with a server of its own
         * @return this builder
         */
        public Builder onServerOf(StatefulPostgres server) {
            Objects.requireNonNull(server, "server");
            if (server.server.sharesServer()) {
                throw new InvalidArgumentException("onServerOf(" + server + "): that handle shares a server itself; "
                        + "expected a handle with a server of its own. Fix: pass the handle that owns the server.");
            }
            this.sharedServer = server;
            return this;
        }

        /**
         * Use a named volume; when it exists, its data is used as it is.
         *
         * @param name a valid Docker volume name
         * @return this builder
         */
        public Builder volume(String name) {
            this.volume = VolumeNames.validate(name);
            return this;
        }

        /**
         * Create the volume in memory with a size limit (Docker's local driver with
         * {@code type=tmpfs}): for tests of a full disk. The data is lost when the volume is
         * removed, and also when the Docker engine restarts. An existing volume of the same name
         * is used as it is.
         *
         * @param size such as {@code 64m} or {@code 1g}: digits followed by k, m or g; at least 1m,
         *     and Postgres needs about 40m for an empty cluster
         * @return this builder
         */
        public Builder tmpfsVolume(String size) {
            this.tmpfsSize = HandleArguments.tmpfsSize(size);
            return this;
        }

        /**
         * Set the readable part of a generated volume name, {@code stateful-<hint>-<random>}.
         *
         * @param hint for example the test class's simple name
         * @return this builder
         */
        public Builder nameHint(String hint) {
            this.nameHint = hint == null ? "" : hint;
            return this;
        }

        /**
         * Set the image; it must be a Postgres image (it defines {@code PGDATA}).
         *
         * @param reference such as {@code postgres:17}
         * @return this builder
         */
        public Builder image(String reference) {
            PostgresImages.requireReference("image(...)", reference);
            this.image = reference.strip();
            return this;
        }

        /**
         * Set the database name ({@code POSTGRES_DB}, used only on an empty volume).
         *
         * @param name 1 to 63 bytes in UTF-8
         * @return this builder
         */
        public Builder database(String name) {
            this.database = HandleArguments.name("database", name);
            return this;
        }

        /**
         * Set the role name ({@code POSTGRES_USER}, used only on an empty volume).
         *
         * @param name 1 to 63 bytes in UTF-8
         * @return this builder
         */
        public Builder username(String name) {
            this.username = HandleArguments.name("username", name);
            return this;
        }

        /**
         * Set the password instead of a random one. With an explicit password Stateful never
         * changes the role's password; with a random one it resets the password of a role on a
         * volume that was initialised with another.
         *
         * @param secret the password
         * @return this builder
         */
        public Builder password(String secret) {
            this.password = HandleArguments.password(secret);
            return this;
        }

        /**
         * Choose durability: {@code false} (default) turns off fsync, synchronous commit and full
         * page writes for speed; {@code true} keeps Postgres' defaults, for crash tests.
         *
         * @param value whether commits must survive a crash
         * @return this builder
         */
        public Builder durable(boolean value) {
            this.durable = value;
            return this;
        }

        /**
         * Add an environment variable of the container, such as {@code POSTGRES_INITDB_ARGS}.
         *
         * @param key variable name; not {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD} or
         *     {@code POSTGRES_DB}, which have their own methods
         * @param value its value
         * @return this builder
         */
        public Builder env(String key, String value) {
            env.put(HandleArguments.envKey(key), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Set a server setting, as {@code postgres -c name=value} (for example {@code shared_buffers},
         * {@code max_connections}). Settings Stateful relies on ({@code port}, {@code listen_addresses},
         * {@code data_directory} and the other file locations, {@code unix_socket_directories}) are
         * refused; setting {@code fsync}, {@code synchronous_commit} or {@code full_page_writes} replaces
         * Stateful's fast non-durable defaults with the given values.
         *
         * @param name the setting's name
         * @param value its value
         * @return this builder
         */
        public Builder serverSetting(String name, String value) {
            serverSettings.put(HandleArguments.serverSetting(name, value), value);
            return this;
        }

        /**
         * Add a script to {@code /docker-entrypoint-initdb.d}: the image runs it on the first
         * start on an empty volume only, as it would a mounted init script.
         *
         * @param fileName such as {@code 01-schema.sql} ({@code .sql}, {@code .sql.gz} or {@code .sh})
         * @param content the script
         * @return this builder
         */
        public Builder initScript(String fileName, String content) {
            initScripts.put(HandleArguments.initScriptName(fileName),
                    Objects.requireNonNull(content, "content").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /**
         * Choose whether {@link StatefulPostgres#close()} removes the volume. Default: yes for a
         * generated name, no for an explicit one (Stateful never deletes a volume it was not told
         * to).
         *
         * @param value whether to remove the volume on close
         * @return this builder
         */
        public Builder removeVolumeOnClose(boolean value) {
            this.removeVolumeOnCloseSetting = value;
            return this;
        }

        /**
         * Set how many ready clones of each snapshot to keep, so that {@link StatefulPostgres#restore}
         * is a rename; 0 turns the pool off (each restore copies the snapshot).
         *
         * @param size 0 to 8
         * @return this builder
         */
        public Builder snapshotPool(int size) {
            this.snapshotPool = Setting.SNAPSHOT_POOL.parse("snapshotPool", "", Integer.toString(size));
            return this;
        }

        /**
         * Set whether {@link StatefulPostgres#restore} copies back only the tables and sequences
         * that changed since the snapshot, where that is exact (no DDL, no server restart, changed
         * tables under a quarter of the database, Postgres 15 or later), and clones the whole
         * database otherwise; {@code false} always clones. It keeps one more copy of each snapshot,
         * a database read for the rows to copy back.
         *
         * @param enabled {@code true} (the default, see {@code stateful.table-reset}) or {@code false}
         * @return this builder
         */
        public Builder tableReset(boolean enabled) {
            this.tableReset = enabled;
            return this;
        }

        /**
         * Set how long a start may take until the server accepts queries.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = HandleArguments.startupTimeout(timeout);
            return this;
        }

        /**
         * Set how long one command in the container ({@code pg_restore}, {@code psql},
         * {@code pg_dump}, a copy) may run before it is stopped and reported.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = HandleArguments.commandTimeout(timeout);
            return this;
        }

        /**
         * Set the migration settings the handle's {@code migrate()}, {@code migrateTo(...)} and
         * {@code migrations()} use.
         *
         * @param settings where the migrations are and how to run them
         * @return this builder
         */
        public Builder migrations(MigrationSettings settings) {
            this.migrationSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Create the handle without starting it: nothing exists in Docker until {@link #start()}.
         *
         * @return a stopped handle
         * @throws EngineUnavailableException when no Docker engine answers
         */
        public StatefulPostgres build() {
            boolean generated = volume == null;
            if (generated) {
                volume = VolumeNames.generate(nameHint);
            }
            removeVolumeOnClose = removeVolumeOnCloseSetting != null ? removeVolumeOnCloseSetting : generated;
            return new StatefulPostgres(this, DockerEngine.get(engineSettings).withTimeouts(commandTimeout, engineTimeout));
        }

        /**
         * Create and start the handle.
         *
         * @return a running handle
         */
        public StatefulPostgres start() {
            StatefulPostgres db = build();
            try {
                return db.start();
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }
    }
}
