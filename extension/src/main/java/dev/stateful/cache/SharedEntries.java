package dev.stateful.cache;

import dev.stateful.CacheMode;
import dev.stateful.internal.Server;
import dev.stateful.internal.cache.DirectoryStore;
import dev.stateful.internal.cache.RegistryStore;
import dev.stateful.internal.engine.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
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
    private final CacheMode mode;
    private final Path directory;
    private final String registry;

    SharedEntries(CacheMode mode, Path directory, String registry) {
        this.mode = mode;
        this.directory = directory;
        this.registry = registry;
    }

    /**
     * Start the server in the state of the key from the directory or the registry: in
     * {@code READWRITE} mode through a new engine entry (so later starts hit in the engine), in
     * {@code READONLY} mode straight into the server's volume.
     *
     * @return whether the server runs in the state
     */
    boolean fetch(Server server, String key, Consumer<String> startOnCopy, Runnable evict) {
        if (directory != null) {
            DirectoryStore store = new DirectoryStore(server.engine(), directory);
            if (Files.isRegularFile(store.fileOf(key))
                    && fetch(server, key, "import", store.fileOf(key).toString(), startOnCopy, evict,
                            volume -> imported(store, server.image(), volume, key))) {
                return true;
            }
        }
        if (registry != null) {
            RegistryStore store = new RegistryStore(server.engine(), registry);
            return fetch(server, key, "pull", registry, startOnCopy, evict, volume -> pulled(store, volume, key));
        }
        return false;
    }

    private boolean fetch(Server server, String key, String how, String from, Consumer<String> startOnCopy,
                          Runnable evict, Predicate<String> fill) {
        long started = System.nanoTime();
        DockerEngine engine = server.engine();
        if (mode == CacheMode.READWRITE) {
            Optional<String> data = StateCache.newEntry(engine, server.image(), key, fill);
            if (data.isEmpty()) {
                return false;
            }
            startOnCopy.accept(data.get());
            evict.run();
        } else {
            synchronized (server.lock()) {
                server.createVolume();
                if (!fill.test(server.volumeName())) {
                    StateCache.removeQuietly(engine, server.volumeName());
                    return false;
                }
                server.start();
            }
        }
        LOG.info("State cache {} {}: started {} from {} in {} ms", how, StateCache.shortKey(key), server.volumeName(),
                from, (System.nanoTime() - started) / 1_000_000);
        return true;
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
                LOG.warn("Cache entry {} was not pushed to {}: {}", StateCache.shortKey(key), registry, e.toString());
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

    private static boolean pulled(RegistryStore store, String volume, String key) {
        try {
            return store.pullInto(volume, key);
        } catch (RuntimeException e) {
            LOG.warn("Cache entry {} could not be pulled from {} ({}); the state is built instead",
                    StateCache.shortKey(key), store.repository(), e.toString());
            return false;
        }
    }
}
