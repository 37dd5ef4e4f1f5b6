package dev.stateful.cache;

import dev.stateful.CacheMode;
import dev.stateful.Setting;
import dev.stateful.internal.Server;
import dev.stateful.internal.cache.DirectoryStore;
import dev.stateful.internal.cache.RegistryStore;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.RegistryLayers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores a cache shares its entries through beyond the engine: the directory
 * ({@code stateful.cache.dir}) and the registry ({@code stateful.cache.registry}). Fetching
 * tries the directory, then the registry; sharing exports and pushes. A store that fails is
 * logged and skipped: the state is then built, or not shared.
 */
final class SharedEntries {
    private static final Logger LOG = LoggerFactory.getLogger(SharedEntries.class);
    private static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "stateful-cache-entry");
        thread.setDaemon(true);
        return thread;
    });
    private final CacheMode mode;
    private final Path directory;
    private final String registry;

    SharedEntries(CacheMode mode, Path directory, String registry) {
        this.mode = mode;
        this.directory = directory;
        this.registry = registry;
    }

    /**
     * Start the server in the state of the key from the directory or the registry: the data goes
     * straight into the server's volume. In {@code READWRITE} mode an engine entry (so later
     * starts hit in the engine) is then made from the same source in the background, without
     * delaying the start.
     *
     * @return whether the server runs in the state
     */
    boolean fetch(Server server, String key, Runnable evict) {
        if (directory != null) {
            DirectoryStore store = new DirectoryStore(server.engine(), directory);
            Predicate<String> fill = volume -> imported(store, server.image(), volume, key);
            if (Files.isRegularFile(store.fileOf(key))
                    && startFrom(server, key, "import", store.fileOf(key).toString(), fill)) {
                inBackground(server, key, fill, () -> { }, evict);
                return true;
            }
        }
        if (registry != null) {
            RegistryStore store = new RegistryStore(server.engine(), registry);
            RegistryLayers.Lookup lookup = found(store, key);
            if (lookup.status() == RegistryLayers.Status.ABSENT) {
                LOG.info("Cache registry {} has no entry {}", registry, StateCache.shortKey(key));
                return false;
            }
            if (lookup.status() == RegistryLayers.Status.PRESENT) {
                Predicate<String> fill = volume -> unpacked(store, lookup.layer(), server.image(), volume, key);
                if (!startFrom(server, key, "pull", registry, fill)) {
                    return false;
                }
                inBackground(server, key, fill, () -> { }, evict);
                return true;
            }
            LOG.info("Cache registry {} is pulled through the engine: {}", registry, lookup.reason());
            if (!pulled(store, key)) {
                return false;
            }
            Predicate<String> fill = volume -> copied(store, volume, key);
            boolean started = false;
            try {
                started = startFrom(server, key, "pull", registry, fill);
            } finally {
                if (!started) {
                    forget(store, key);
                }
            }
            if (started) {
                inBackground(server, key, fill, () -> forget(store, key), evict);
            }
            return started;
        }
        return false;
    }

    private boolean startFrom(Server server, String key, String how, String from, Predicate<String> fill) {
        long started = System.nanoTime();
        synchronized (server.lock()) {
            server.createVolume();
            if (!fill.test(server.volumeName())) {
                StateCache.removeQuietly(server.engine(), server.volumeName());
                return false;
            }
            server.start();
        }
        LOG.info("State cache {} {}: started {} from {} in {} ms", how, StateCache.shortKey(key), server.volumeName(),
                from, (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /** In READWRITE mode, make the engine entry of the key in the background; then run {@code after}. */
    private void inBackground(Server server, String key, Predicate<String> fill, Runnable after, Runnable evict) {
        if (mode != CacheMode.READWRITE) {
            after.run();
            return;
        }
        DockerEngine engine = server.engine();
        String image = server.image();
        BACKGROUND.submit(() -> {
            long started = System.nanoTime();
            try {
                StateCache.newEntry(engine, image, key, fill).ifPresent(data -> {
                    evict.run();
                    LOG.info("State cache entry {} made in the background in {} ms: {}", StateCache.shortKey(key),
                            (System.nanoTime() - started) / 1_000_000, data);
                });
            } catch (RuntimeException e) {
                LOG.warn("State cache entry {} was not made in the engine: {}", StateCache.shortKey(key), e.toString());
            } finally {
                after.run();
            }
        });
    }

    /**
     * Wait until the engine entries being made in the background are made (for tests and
     * benchmarks that look at the engine next).
     *
     * @param timeout how long to wait at most
     * @return whether they are all made
     * @throws InterruptedException when interrupted
     */
    static boolean awaitBackground(Duration timeout) throws InterruptedException {
        try {
            BACKGROUND.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** Export a new entry's data volume to the directory and push it to the registry, as configured. */
    void share(Server server, String data, String key) {
        if (directory != null) {
            try {
                new DirectoryStore(server.engine(), directory).export(server.image(), data, key, CacheKey.inputsOf(key));
            } catch (RuntimeException e) {
                LOG.warn("Cache entry {} was not exported to {}: {}", StateCache.shortKey(key), directory, e.toString());
            }
        }
        if (registry != null) {
            try {
                new RegistryStore(server.engine(), registry).push(server.image(), data, key);
            } catch (RuntimeException e) {
                LOG.warn("Cache entry {} was not pushed to {} {}: {}", StateCache.shortKey(key),
                        Setting.CACHE_REGISTRY.property(), registry, e.getMessage());
            }
        }
    }

    static boolean imported(DirectoryStore store, String image, String volume, String key) {
        try {
            return store.importInto(image, volume, key).map(c -> c.good()).orElse(false);
        } catch (RuntimeException e) {
            LOG.warn("Cache archive {} could not be imported ({}); the state is built instead", store.fileOf(key),
                    e.toString());
            return false;
        }
    }

    private static RegistryLayers.Lookup found(RegistryStore store, String key) {
        try {
            return store.find(key);
        } catch (RuntimeException e) {
            return new RegistryLayers.Lookup(RegistryLayers.Status.UNAVAILABLE, null, e.getMessage());
        }
    }

    private static boolean unpacked(RegistryStore store, RegistryLayers.Layer layer, String image, String volume,
                                    String key) {
        try {
            store.unpack(layer, image, volume);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Cache entry {} could not be read from {} {} ({}); the state is built instead",
                    StateCache.shortKey(key), Setting.CACHE_REGISTRY.property(), store.repository(), e.getMessage());
            return false;
        }
    }

    private static boolean pulled(RegistryStore store, String key) {
        try {
            return store.pull(key);
        } catch (RuntimeException e) {
            LOG.warn("Cache entry {} could not be pulled from {} {} ({}); the state is built instead",
                    StateCache.shortKey(key), Setting.CACHE_REGISTRY.property(), store.repository(), e.getMessage());
            return false;
        }
    }

    private static boolean copied(RegistryStore store, String volume, String key) {
        try {
            store.copyInto(key, volume);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Cache image {}:{} could not be copied ({})", store.repository(), StateCache.shortKey(key),
                    e.getMessage());
            return false;
        }
    }

    private static void forget(RegistryStore store, String key) {
        try {
            store.forget(key);
        } catch (RuntimeException e) {
            LOG.debug("cache image {}:{} not removed: {}", store.repository(), key, e.getMessage());
        }
    }
}
