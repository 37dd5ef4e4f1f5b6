package dev.stateful.junit;

import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.cache.StateCache;
import dev.stateful.error.StartupException;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.PostgresContainer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared servers of prepared states ({@code @RestoredFrom}, {@code @MigratedTo}): one per run
 * and state cache key, started from the cross-run state cache as a class with a server of its own
 * is (a miss builds the state and stores it), so a warm run neither restores nor migrates. The
 * server's own database holds the state; each class gets a copy of it as its database. A changed
 * dump, migration or image is another key: another server, a miss on the first run.
 *
 * <p>At most {@value #MAX_SERVERS} such servers per run: a class with yet another state builds
 * it on the run's plain shared server. Each is removed at the end of the run, like that one.
 */
@SuppressWarnings("deprecation")
final class PreparedServers implements StoreResource {
    static final int MAX_SERVERS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(PreparedServers.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PreparedServers.class);

    private final StatefulPostgres server;
    /** The class databases made ahead from the state on this server. */
    private final SharedServers classes;
    private final String key;
    private boolean started;
    private Exception failure;

    private PreparedServers(StatefulPostgres server, String key) {
        this.server = server;
        this.classes = SharedServers.poolsOn(server);
        this.key = key;
    }

    /**
     * Return the run's server for a prepared state, not started before its first class; empty
     * when the run has {@value #MAX_SERVERS} already.
     */
    static Optional<PreparedServers> of(ExtensionContext context, StatefulSettings settings, Preparation preparation) {
        StatefulPostgres probe = StatefulPostgres.builder(settings).nameHint("shared").removeVolumeOnClose(true)
                .migrations(Preparation.handleSettings(Optional.of(preparation), settings)).build();
        String key = preparation.cacheKey(probe);
        ExtensionContext root = context.getRoot();
        AtomicInteger count = StoreValues.getOrCreate(root, NAMESPACE, "count", AtomicInteger.class, AtomicInteger::new);
        synchronized (root) {
            PreparedServers existing = root.getStore(NAMESPACE).get("state:" + key, PreparedServers.class);
            if (existing != null) {
                return existing.failed() ? Optional.empty() : Optional.of(existing);
            }
            if (count.get() >= MAX_SERVERS) {
                return Optional.empty();
            }
            count.incrementAndGet();
            PreparedServers created = new PreparedServers(probe, key);
            root.getStore(NAMESPACE).put("state:" + key, created);
            return Optional.of(created);
        }
    }

    /** The server: the handle to share, which may not be running yet. */
    StatefulPostgres server() {
        return server;
    }

    private synchronized boolean failed() {
        return failure != null;
    }

    /**
     * Start a class's database, on this server, as a copy of the prepared state; the first class
     * starts the server (from the state cache, or building the state on a miss).
     */
    void startClass(StatefulPostgres db, Preparation preparation, StateCache cache) throws Exception {
        synchronized (this) {
            if (failure != null) {
                throw new StartupException("the shared server for this prepared state failed to start for an earlier "
                        + "class: " + failure.getMessage() + ". Fix: see that class's error, or give this class "
                        + "@WithVolume(ownServer = true).", failure);
            }
            if (!started) {
                long begun = System.nanoTime();
                try {
                    boolean hit = cache.start(server, key, () -> preparation.apply(server));
                    LOG.info("Started the shared server {} for a prepared state ({}) in {} ms", server.volumeName(),
                            hit ? "from the state cache" : "built, not in the state cache", (System.nanoTime() - begun) / 1_000_000);
                } catch (Exception e) {
                    failure = e;
                    server.discard();
                    throw e;
                }
                started = true;
                classes.fill(server.database());
            } else {
                SharedServers.startedAgainIfStopped(server);
            }
        }
        classes.startFromTemplate(db, (PostgresContainer) HandleAccess.server(db), server.database());
    }

    /**
     * Take the class's baseline from the snapshot made ahead with its database, when that is
     * exact ({@link SharedServers#adoptBaseline}).
     */
    boolean adoptBaseline(StatefulPostgres db) {
        return classes.adoptBaseline(db);
    }

    /** The run ended: remove the server's container and volume. */
    @Override
    public void close() {
        synchronized (this) {
            if (!started) {
                return;
            }
        }
        classes.closePools();
        LOG.info("Removing the shared server {} at the end of the run", server.volumeName());
        server.discard();
    }
}
