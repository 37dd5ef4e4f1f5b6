package dev.stateful.junit;

import dev.stateful.ServerMode;
import dev.stateful.Setting;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.PostgresContainer;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.snapshot.ResetBaseline;
import dev.stateful.internal.snapshot.SnapshotStore;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers that {@code stateful.server=shared} classes (the default) share: one per run and image, started on
 * first use and kept in the root context's store, so JUnit removes it (container and volume) at
 * the end of the run, passed or failed. It is an ordinary ephemeral handle: labelled like every
 * Stateful container, removed by the shutdown hook, and swept by a later run after a killed JVM.
 *
 * <p>A {@link StoreResource}: every supported JUnit closes it once.
 */
@SuppressWarnings("deprecation")
final class SharedServers implements StoreResource {
    private static final Logger LOG = LoggerFactory.getLogger(SharedServers.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServers.class);

    private final StatefulPostgres server;
    /** The template database of each prepared state (by its cache key) on this server, once built. */
    private final Map<String, CompletableFuture<String>> templates = new ConcurrentHashMap<>();
    /** The class databases made ahead from each template. */
    private final Map<String, ReadyDatabases> pools = new ConcurrentHashMap<>();
    /** The class databases taken from a pool whose baseline snapshot is not yet adopted, with their template. */
    private final Map<String, String> madeAhead = new ConcurrentHashMap<>();
    /**
     * The reset's baseline of each template, read from the first class database copied from it
     * whose baseline was adopted, and handed to every later one (each is an exact copy).
     */
    private final Map<String, ResetBaseline> baselines = new ConcurrentHashMap<>();
    private final Object adminLock = new Object();
    /** One session kept on the server for taking databases made ahead: no login per class. */
    private java.sql.Connection admin;
    /** Makes the class databases ahead: one copy at a time, beside the running tests. */
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stateful-shared-server-pool");
        t.setDaemon(true);
        return t;
    });

    private SharedServers(StatefulPostgres server) {
        this.server = server;
    }

    /**
     * Tell whether a class-level {@code @WithVolume} may get a database on the shared server: the
     * run says {@code stateful.server=shared} (the default) and the annotation asks for nothing of
     * a server's own ({@code ownServer = true}, a volume name, durability, an image, a database, a
     * role, or a volume kept after the class).
     */
    static boolean shares(StatefulSettings settings, WithVolume annotation) {
        return settings.get(Setting.SERVER) == ServerMode.SHARED && !annotation.ownServer()
                && annotation.name().isEmpty() && !annotation.durable() && annotation.image().isEmpty()
                && annotation.database().isEmpty() && annotation.username().isEmpty()
                && (annotation.cleanup() == CleanupMode.DEFAULT || annotation.cleanup() == CleanupMode.ALWAYS);
    }

    /**
     * Tell whether a {@code @WithVolume} class gets a database on the shared server: as
     * {@link #shares(StatefulSettings, WithVolume)}, and its code (read from its class files)
     * calls no operation on the whole server; when it does, the class gets a server of its own,
     * and one INFO line says why.
     */
    static boolean shares(StatefulSettings settings, WithVolume annotation, Class<?> testClass) {
        if (!shares(settings, annotation)) {
            return false;
        }
        java.util.Optional<String> operation = OwnServerScan.find(testClass);
        operation.ifPresent(found -> LOG.info("{} gets a Postgres server of its own instead of a database on the "
                + "shared server: its code {}, an operation on the whole server", testClass.getName(), found));
        return operation.isEmpty();
    }

    /** Return the run's shared server for the settings' image, started on first use. */
    static StatefulPostgres serverFor(ExtensionContext context, StatefulSettings settings) {
        return startedAgainIfStopped(of(context, settings).server);
    }

    /**
     * Start a shared server again when it stopped between classes (the Docker engine restarted,
     * say): the next class runs on it as on a server of its own after a restart.
     */
    static StatefulPostgres startedAgainIfStopped(StatefulPostgres server) {
        synchronized (server) {
            if (!server.isRunning()) {
                LOG.warn("The shared server {} is not running (the Docker engine restarted?): starting it again",
                        server.volumeName());
                server.start();
            }
        }
        return server;
    }

    /**
     * Start a class's database on the shared server in a prepared state: the first class of the
     * run with this state builds it in its own database and keeps a copy as a template database;
     * every later class (also one running in parallel, which waits for it) gets its database as a
     * copy of that template, without running the restore or migrations again.
     *
     * @param db the class's handle, on the shared server, not started
     * @param key the state's cache key: a changed dump, migration or image is another template
     * @param build what builds the state on the first class's database
     */
    void startPrepared(StatefulPostgres db, String key, ManagedHandle.PreparedState build) throws Exception {
        PostgresContainer server = (PostgresContainer) HandleAccess.server(db);
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> existing = templates.putIfAbsent(key, mine);
        if (existing != null) {
            String template;
            try {
                template = existing.join();
            } catch (CompletionException | CancellationException e) {
                // The class that built it failed (and reported why): build this class's own.
                build.startOn(db);
                return;
            }
            startFromTemplate(db, server, template);
            return;
        }
        try {
            long started = System.nanoTime();
            build.startOn(db);
            String template = "t_" + VolumeNames.randomHex(4);
            server.copyDatabaseTo(template);
            LOG.info("Built a prepared state on the shared server {} and kept it as template database {} in {} ms",
                    this.server.volumeName(), template, (System.nanoTime() - started) / 1_000_000);
            mine.complete(template);
            pool(template).fill();
        } catch (Exception | Error e) {
            templates.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * The class databases made ahead on a server that is not the run's plain shared server (a
     * prepared state's, {@link PreparedServers}): the pools and the adopted baselines, without
     * the server's lifecycle, which stays its owner's ({@link #closePools()}, not {@link #close()}).
     */
    static SharedServers poolsOn(StatefulPostgres server) {
        return new SharedServers(server);
    }

    /**
     * Start a class's database as a copy of a template: by renaming a database made ahead when the
     * pool has one (with its baseline snapshot and reference copy), else by a copy now.
     */
    void startFromTemplate(StatefulPostgres db, PostgresContainer server, String template) throws Exception {
        long started = System.nanoTime();
        // Until its baseline is taken (adoptBaseline), the server's background drops wait.
        server.classSetupBegins();
        String ready = pool(template).take();
        if (ready != null) {
            try {
                synchronized (adminLock) {
                    server.startFromReady(admin(), ready, ReadyDatabases.SUFFIXES);
                }
                madeAhead.put(db.database(), template);
                LOG.info("Took class database {} made ahead from template {} on the shared server {} in {} ms",
                        db.database(), template, this.server.volumeName(), (System.nanoTime() - started) / 1_000_000);
                return;
            } catch (java.sql.SQLException e) {
                closeAdmin();
                LOG.debug("could not take class database {} made ahead: {}; copying template {}", ready,
                        e.getMessage(), template);
            }
        }
        server.startFromTemplate(template);
    }

    /** Start making class databases ahead from a template, before the first class asks for one. */
    void fill(String template) {
        pool(template).fill();
    }

    private ReadyDatabases pool(String template) {
        return pools.computeIfAbsent(template,
                t -> new ReadyDatabases((PostgresContainer) HandleAccess.server(server), t, background));
    }

    /**
     * Take the class's baseline from the snapshot made ahead with its database, without a copy,
     * when that is exact: the database was made ahead and no transaction ran in it since it was
     * taken (no session is attached, and the server's per-database transaction counters are
     * unchanged); otherwise the caller takes the baseline as a copy, which replaces what was made.
     * The reset's baseline of the template is read once, from the first such class, and handed to
     * the later ones. Either way the class's setup has ended: the pool is filled again and the
     * server's background drops may run.
     *
     * @param db the class's handle
     * @return {@code true} when the baseline is taken
     */
    boolean adoptBaseline(StatefulPostgres db) {
        String template = madeAhead.remove(db.database());
        try {
            return adoptBaseline(db, template);
        } finally {
            ((PostgresContainer) HandleAccess.server(db)).classSetupEnded();
            if (template != null) {
                pool(template).fill();
            }
        }
    }

    private boolean adoptBaseline(StatefulPostgres db, String template) {
        if (template == null || !(db.snapshots() instanceof SnapshotStore store)) {
            return false;
        }
        long started = System.nanoTime();
        synchronized (adminLock) {
            try (java.sql.PreparedStatement ps = admin().prepareStatement("SELECT (SELECT count(*) FROM "
                    + "pg_stat_activity WHERE datname = ?), (SELECT xact_commit + xact_rollback FROM pg_stat_database "
                    + "WHERE datname = ?)")) {
                ps.setString(1, db.database());
                ps.setString(2, db.database());
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != 0 || rs.getLong(2) != 0) {
                        LOG.debug("{} was used before its first test: its baseline is taken as a copy", db.database());
                        return false;
                    }
                }
            } catch (java.sql.SQLException e) {
                closeAdmin();
                LOG.debug("could not check {} before adopting its baseline: {}", db.database(), e.getMessage());
                return false;
            }
        }
        ResetBaseline known = baselines.get(template);
        ResetBaseline read = store.adoptSnapshot(ManagedHandle.BASELINE, true, known);
        if (known == null && read != null) {
            baselines.putIfAbsent(template, read);
        }
        LOG.info("Took the baseline of {} from the snapshot made ahead with it, without a copy{}, in {} ms",
                db.database(), known == null ? "" : " (the reset's baseline of template " + template + " handed over)",
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /** The kept session on the shared server's {@code postgres} database (under {@link #adminLock}). */
    private java.sql.Connection admin() throws java.sql.SQLException {
        if (admin == null || admin.isClosed()) {
            admin = HandleAccess.server(server).connect("postgres");
        }
        return admin;
    }

    private void closeAdmin() {
        synchronized (adminLock) {
            if (admin != null) {
                try {
                    admin.close();
                } catch (java.sql.SQLException e) {
                    LOG.debug("closing the shared server's admin session: {}", e.getMessage());
                }
                admin = null;
            }
        }
    }

    /** Stop making class databases ahead; what was made goes with the server. */
    void closePools() {
        pools.values().forEach(ReadyDatabases::close);
        // A copy in flight ends with the server (its thread is a daemon): no wait for it.
        background.shutdownNow();
        closeAdmin();
    }

    /** Return the run's shared server entry for the settings' image, started on first use. */
    static SharedServers of(ExtensionContext context, StatefulSettings settings) {
        String image = settings.get(Setting.IMAGE);
        return StoreValues.getOrCreate(context.getRoot(), NAMESPACE, "server:" + image, SharedServers.class, () -> {
            long started = System.nanoTime();
            StatefulPostgres db = StatefulPostgres.builder(settings).nameHint("shared").removeVolumeOnClose(true)
                    .start();
            LOG.info("Started the shared server {} ({}) for stateful.server=shared in {} ms", db.volumeName(), image,
                    (System.nanoTime() - started) / 1_000_000);
            return new SharedServers(db);
        });
    }

    /**
     * A new name for a class's database on the shared server: short, so that snapshot names
     * ({@code <database>__snap_<name>}) stay within Postgres's 63 bytes.
     */
    static String newDatabaseName() {
        return "c_" + VolumeNames.randomHex(4);
    }

    /** The run ended: remove the shared server's container and volume. */
    @Override
    public void close() {
        closePools();
        LOG.info("Removing the shared server {} at the end of the run", server.volumeName());
        server.discard();
    }
}
