package dev.stateful.junit;

import dev.stateful.ServerMode;
import dev.stateful.Setting;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.PostgresContainer;
import dev.stateful.internal.VolumeNames;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers that {@code stateful.server=shared} classes (the default) share: one per run and image, started on
 * first use and kept in the root context's store, so JUnit removes it (container and volume) at
 * the end of the run, passed or failed. It is an ordinary ephemeral handle: labelled like every
 * Stateful container, removed by the shutdown hook, and swept by a later run after a killed JVM.
 *
 * <p>It implements the {@code CloseableResource} that JUnit closes from 5.1 to 6.x, as
 * {@link RunReportIndex} does.
 */
@SuppressWarnings("deprecation")
final class SharedServers implements ExtensionContext.Store.CloseableResource {
    private static final Logger LOG = LoggerFactory.getLogger(SharedServers.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServers.class);

    private final StatefulPostgres server;
    /** The template database of each prepared state (by its cache key) on this server, once built. */
    private final Map<String, CompletableFuture<String>> templates = new ConcurrentHashMap<>();

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
        return of(context, settings).server;
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
            server.startFromTemplate(template);
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
        } catch (Exception | Error e) {
            templates.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
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
        LOG.info("Removing the shared server {} at the end of the run", server.volumeName());
        server.discard();
    }
}
