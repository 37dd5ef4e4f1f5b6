package dev.stateful.cache;

import dev.stateful.CacheMode;
import dev.stateful.Setting;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.Server;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.snapshot.VolumeSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keep built database states across runs and JVMs, as labelled Docker volumes holding the data
 * directory after the build (restore a dump, run migrations).
 *
 * <p>An entry is two volumes: the data ({@code stateful-cachedata-…}, label
 * {@value #DATA_LABEL}) and, created only after the data was copied completely, a marker
 * ({@code stateful-cache-…}, label {@value #KEY_LABEL}{@code =<key>}) that names it. Lookups see
 * markers only, so a half-written entry is never used; two JVMs building the same key each write
 * their own entry. The oldest entries beyond {@code stateful.cache.max-entries} are evicted. A
 * data volume without a marker (a copy or fill that was interrupted) is removed by the next run's
 * sweep once its creator is gone, and by eviction when older than an hour.
 *
 * <p>Beyond the engine, entries travel through a directory CI caches ({@code stateful.cache.dir},
 * archives checked by their checksums) and a registry ({@code stateful.cache.registry}, an image
 * per key): a start looks in the engine, then the directory, then the registry, then builds; a
 * build is exported and pushed.
 *
 * <pre>{@code
 * StatefulPostgres db = StatefulPostgres.builder().build();
 * boolean hit = StateCache.fromSettings().start(db, key, () -> {
 *     db.restoreDump(dump);
 *     db.migrate();
 * });
 * }</pre>
 */
public final class StateCache {
    /** Configuration parameter: {@code off}, {@code readonly} or {@code readwrite}. */
    public static final String CACHE_PROPERTY_NAME = dev.stateful.Setting.CACHE.property();
    /** Environment variable: {@code off}, {@code readonly} or {@code readwrite}. */
    public static final String CACHE_ENV_NAME = dev.stateful.Setting.CACHE.env();
    /** Configuration parameter: how many entries to keep. */
    public static final String MAX_ENTRIES_PROPERTY_NAME = dev.stateful.Setting.CACHE_MAX_ENTRIES.property();
    /** Environment variable: how many entries to keep. */
    public static final String MAX_ENTRIES_ENV_NAME = dev.stateful.Setting.CACHE_MAX_ENTRIES.env();
    /** Default number of entries kept. */
    public static final int DEFAULT_MAX_ENTRIES = 10;
    /** Label of a marker volume: the key of the entry. */
    public static final String KEY_LABEL = "dev.stateful.cache";
    /** Label of a data volume (and of its marker, naming it). */
    public static final String DATA_LABEL = "dev.stateful.cache.data";
    /** Label of a marker volume: the image the entry's state was built with. */
    public static final String IMAGE_LABEL = "dev.stateful.cache.image";

    private static final Logger LOG = LoggerFactory.getLogger(StateCache.class);
    private static final long ORPHAN_DATA_AGE_MILLIS = 60 * 60 * 1000L;


    /**
     * What builds the state on a cache miss, once the server runs: a closure over the handle,
     * such as {@code () -> db.migrate()}.
     */
    @FunctionalInterface
    public interface Build {
        /**
         * Build the state on the running server.
         *
         * @throws Exception when building fails
         */
        void run() throws Exception;
    }

    private final CacheMode mode;
    private final int maxEntries;
    private final Path directory;
    private final String registry;
    private final SharedEntries shared;
    private static final java.util.regex.Pattern REPOSITORY = java.util.regex.Pattern.compile(
            "[a-z0-9]+([._-][a-z0-9]+)*(\\.[a-z0-9-]+)*(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)+");

    /**
     * Create a cache with explicit settings, kept in the engine only.
     *
     * @param mode what it may do
     * @param maxEntries how many entries to keep, at least 1
     */
    public StateCache(CacheMode mode, int maxEntries) {
        this(mode, maxEntries, null);
    }

    /**
     * Create a cache with explicit settings that also exports each entry it builds to a
     * directory, and imports an entry from there when the engine has none: a directory that CI
     * caches between runs ({@code stateful.cache.dir}).
     *
     * @param mode what it may do ({@code READONLY} imports but never exports)
     * @param maxEntries how many entries to keep in the engine, at least 1
     * @param directory the directory, created when missing; {@code null} for none
     */
    public StateCache(CacheMode mode, int maxEntries, Path directory) {
        this(mode, maxEntries, directory, null);
    }

    /**
     * Create a cache with explicit settings that also shares entries through a directory and a
     * registry ({@code stateful.cache.registry}): an entry built on a miss is pushed as the image
     * {@code <registry>:<key>}, and pulled from there before a build when neither the engine nor
     * the directory has it. Credentials are the Docker engine's own.
     *
     * @param mode what it may do ({@code READONLY} pulls and imports but never pushes or exports)
     * @param maxEntries how many entries to keep in the engine, at least 1
     * @param directory the directory, created when missing; {@code null} for none
     * @param registry a repository without a tag, such as {@code localhost:5000/acme/stateful-cache}; {@code null} for none
     */
    public StateCache(CacheMode mode, int maxEntries, Path directory, String registry) {
        if (registry != null && !REPOSITORY.matcher(registry).matches()) {
            throw new InvalidArgumentException("cache registry '" + registry + "' is invalid; expected a repository "
                    + "without a tag, in lower case, such as localhost:5000/acme/stateful-cache. Fix: set "
                    + Setting.CACHE_REGISTRY.property() + " / " + Setting.CACHE_REGISTRY.env() + " to a repository "
                    + "your CI and developers can push to.");
        }
        if (maxEntries < 1) {
            throw new InvalidArgumentException("cache max entries '" + maxEntries + "' is invalid; expected at least 1. "
                    + "Fix: use for example 10, or turn the cache off with mode OFF.");
        }
        if (directory != null) {
            checkDirectory(directory);
        }
        this.mode = mode;
        this.maxEntries = maxEntries;
        this.directory = directory;
        this.registry = registry;
        this.shared = new SharedEntries(mode, directory, registry);
    }

    static void checkDirectory(Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new InvalidArgumentException("cache directory '" + directory + "' is not a directory; expected a "
                    + "directory (created when missing) for exported cache entries. Fix: point "
                    + Setting.CACHE_DIR.property() + " / " + Setting.CACHE_DIR.env() + " at a directory, or remove the file.");
        }
    }

    /**
     * Create a cache from {@code stateful.cache} / {@code STATEFUL_CACHE} (default readwrite) and
     * {@code stateful.cache.max-entries} / {@code STATEFUL_CACHE_MAX_ENTRIES} (default 10), read
     * from system properties and the environment.
     *
     * @return the cache
     */
    public static StateCache fromSettings() {
        return fromSettings(StatefulSettings.fromSystem());
    }

    /**
     * Create a cache from resolved settings.
     *
     * @param settings the settings
     * @return the cache
     */
    public static StateCache fromSettings(StatefulSettings settings) {
        String dir = settings.get(Setting.CACHE_DIR);
        String registry = settings.get(Setting.CACHE_REGISTRY);
        return new StateCache(settings.get(Setting.CACHE), settings.get(Setting.CACHE_MAX_ENTRIES),
                dir.isEmpty() ? null : Path.of(dir), registry.isEmpty() ? null : registry);
    }

    /**
     * Return the registry repository entries are pushed to and pulled from.
     *
     * @return the repository, or empty when there is none
     */
    public Optional<String> registry() {
        return Optional.ofNullable(registry);
    }

    /**
     * Return the directory entries are exported to and imported from.
     *
     * @return the directory, or empty when there is none
     */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /**
     * Return the mode.
     *
     * @return what the cache may do
     */
    public CacheMode mode() {
        return mode;
    }

    /**
     * Start a handle's server in the state named by {@code key}: from a cache entry when there is
     * one, otherwise by running {@code build} on a fresh start and storing the result. A server
     * whose volume already exists (the user's data) is never overwritten from the cache: it is
     * started and built as usual.
     *
     * @param db a handle that has not been started
     * @param key the state's key, from {@link CacheKey}
     * @param build what builds the state on a miss
     * @return {@code true} on a cache hit
     * @throws Exception what {@code build} throws
     */
    public boolean start(StatefulPostgres db, String key, Build build) throws Exception {
        return start(HandleAccess.server(db), key, build);
    }

    private boolean start(Server server, String key, Build build) throws Exception {
        DockerEngine engine = server.engine();
        boolean freshVolume = !engine.volumeExists(server.volumeName());
        if (mode != CacheMode.OFF && freshVolume) {
            Optional<String> data = lookup(engine, key);
            if (data.isPresent()) {
                long started = System.nanoTime();
                startOnCopyOf(server, data.get());
                LOG.info("State cache hit {}: started {} from {} in {} ms", shortKey(key), server.volumeName(),
                        data.get(), (System.nanoTime() - started) / 1_000_000);
                return true;
            }
            if (shared.fetch(server, key, () -> evict(engine))) {
                return true;
            }
        }
        long started = System.nanoTime();
        server.start();
        build.run();
        LOG.info("State cache {} {}: built state in {} ms", mode == CacheMode.OFF ? "off for" : "miss", shortKey(key),
                (System.nanoTime() - started) / 1_000_000);
        if (mode == CacheMode.READWRITE && freshVolume) {
            String data = store(engine, server, key);
            evict(engine);
            shared.share(server, data, key);
        }
        return false;
    }

    /** Create a new engine entry of a key whose data volume {@code fill} fills; empty when it cannot. */
    static Optional<String> newEntry(DockerEngine engine, String image, String key, Predicate<String> fill) {
        String suffix = shortKey(key) + "-" + VolumeNames.randomHex(4);
        String data = "stateful-cachedata-" + suffix;
        Map<String, String> dataLabels = new LinkedHashMap<>(Labels.forNewResource(false));
        dataLabels.put(DATA_LABEL, key);
        dataLabels.put(Labels.COMPLETED_BY, DATA_LABEL); // swept, once this process is gone, until a marker names it
        engine.createVolume(data, dataLabels);
        if (!fill.test(data)) {
            removeQuietly(engine, data);
            return Optional.empty();
        }
        engine.createVolume("stateful-cache-" + suffix, markerLabels(key, data, image));
        return Optional.of(data);
    }

    private static Map<String, String> markerLabels(String key, String data, String image) {
        Map<String, String> markerLabels = new LinkedHashMap<>(Labels.forNewResource(false));
        markerLabels.put(KEY_LABEL, key);
        markerLabels.put(DATA_LABEL, data);
        markerLabels.put(IMAGE_LABEL, image);
        return markerLabels;
    }

    private static Optional<String> lookup(DockerEngine engine, String key) {
        return engine.volumesLabelled(KEY_LABEL, key).values().stream()
                .sorted(Comparator.comparingLong((Map<String, String> l) -> created(l)).reversed())
                .map(l -> l.get(DATA_LABEL))
                .filter(data -> data != null && engine.volumeExists(data))
                .findFirst();
    }

    /** Create the server's volume as a copy of a cache entry's data volume, and start on it. */
    private static void startOnCopyOf(Server server, String source) {
        synchronized (server.lock()) {
            server.createVolume();
            VolumeSnapshots.copy(server.engine(), server.image(), source, server.volumeName());
            server.start();
        }
    }

    /** Copy the server's volume into a new volume, with the server stopped for a consistent copy. */
    private static void copyVolume(Server server, String target, Map<String, String> labels) {
        synchronized (server.lock()) {
            boolean running = server.isRunning();
            if (running) {
                server.stop();
            }
            server.engine().createVolume(target, labels);
            VolumeSnapshots.copy(server.engine(), server.image(), server.volumeName(), target);
            if (running) {
                server.start();
            }
        }
    }

    private static String store(DockerEngine engine, Server server, String key) {
        String suffix = shortKey(key) + "-" + VolumeNames.randomHex(4);
        String data = "stateful-cachedata-" + suffix;
        Map<String, String> dataLabels = new LinkedHashMap<>(Labels.forNewResource(false));
        dataLabels.put(DATA_LABEL, key);
        dataLabels.put(Labels.COMPLETED_BY, DATA_LABEL); // swept, once this process is gone, until a marker names it
        long started = System.nanoTime();
        copyVolume(server, data, dataLabels);
        engine.createVolume("stateful-cache-" + suffix, markerLabels(key, data, server.image()));
        LOG.info("Stored state {} in cache volume {} in {} ms", shortKey(key), data, (System.nanoTime() - started) / 1_000_000);
        return data;
    }

    private void evict(DockerEngine engine) {
        Map<String, Map<String, String>> markers = engine.volumesLabelled(KEY_LABEL, null);
        List<Map.Entry<String, Map<String, String>>> byAge = markers.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Map<String, String>> e) -> created(e.getValue())).reversed())
                .toList();
        for (Map.Entry<String, Map<String, String>> old : byAge.subList(Math.min(maxEntries, byAge.size()), byAge.size())) {
            engine.removeVolume(old.getKey());
            String data = old.getValue().get(DATA_LABEL);
            if (data != null) {
                removeQuietly(engine, data);
            }
            LOG.info("Evicted cache entry {}", old.getKey());
        }
        List<String> referenced = markers.values().stream().map(l -> l.get(DATA_LABEL)).toList();
        long now = System.currentTimeMillis();
        engine.volumesLabelled(DATA_LABEL, null).forEach((name, labels) -> {
            if (!referenced.contains(name) && labels.get(KEY_LABEL) == null && now - created(labels) > ORPHAN_DATA_AGE_MILLIS) {
                removeQuietly(engine, name);
            }
        });
    }

    static void removeQuietly(DockerEngine engine, String volume) {
        try {
            engine.removeVolume(volume);
        } catch (RuntimeException e) {
            LOG.debug("cache volume {} not removed: {}", volume, e.getMessage());
        }
    }

    static long created(Map<String, String> labels) {
        try {
            return Long.parseLong(labels.getOrDefault(Labels.CREATED, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String shortKey(String key) {
        return key.substring(0, Math.min(12, key.length())).toLowerCase(Locale.ROOT);
    }
}
