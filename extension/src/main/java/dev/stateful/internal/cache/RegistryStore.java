package dev.stateful.internal.cache;

import dev.stateful.error.EngineException;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.engine.RegistryLayers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push cache entries to a registry as images and pull them back: the data directory is copied
 * into {@value #DATA_PATH} of a helper container of the entry's image, whose filesystem is
 * committed (the data is the top layer, the base layers are the image's own and shared) and
 * tagged {@code <repository>:<key>}. A fetch reads that top layer straight from the registry into
 * the target volume ({@link #find}, {@link #unpack}: one write); where this process cannot read the
 * registry, the engine pulls the image and runs it once to copy {@value #DATA_PATH} into the
 * target volume ({@link #pull}, {@link #copyInto}). Everything moves inside the engine; the registry's digests guard the
 * layers, the tag names the key. Credentials are the engine's own; local images are removed
 * after each transfer. While a local image exists, a lease ({@link DockerEngine#lease}) names
 * it, so that the sweep of a later run removes the image of a transfer that was interrupted.
 */
public final class RegistryStore {
    /** Where the data directory lives in a cache image. */
    public static final String DATA_PATH = "/stateful-cache";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryStore.class);

    private final DockerEngine engine;
    private final String repository;
    /** Key to the lease on its pulled image, until {@link #forget}. */
    private final Map<String, String> leases = new ConcurrentHashMap<>();

    /**
     * Create a store over a repository.
     *
     * @param engine the engine
     * @param repository such as {@code localhost:5000/acme/stateful-cache}
     */
    public RegistryStore(DockerEngine engine, String repository) {
        this.engine = engine;
        this.repository = repository;
    }

    /** @return the repository */
    public String repository() {
        return repository;
    }

    /**
     * Push a volume (not in use by a running server) as the image of a key.
     *
     * @param image the image the state was built with
     * @param volume the volume
     * @param key the cache key, the tag
     */
    public void push(String image, String volume, String key) {
        long started = System.nanoTime();
        Map<String, String> labels = Labels.forNewResource(true);
        String lease = engine.lease(repository + ":" + key);
        try {
            commitAndPush(image, volume, key, labels, started);
        } finally {
            engine.release(lease);
        }
    }

    private void commitAndPush(String image, String volume, String key, Map<String, String> labels, long started) {
        String helper = engine.createHelper(image, Map.of(volume, "/from"), labels);
        try {
            engine.start(helper);
            ExecResult copy = engine.exec(helper, "root", List.of("cp", "-a", "/from", DATA_PATH));
            if (!copy.succeeded()) {
                throw new EngineException("cannot copy volume '" + volume + "' into a cache image: cp exited with "
                        + copy.exitCode() + ":\n" + copy.stderrTail(10));
            }
            List<String> wal = WalSegments.notNeeded(engine, helper, "/from");
            if (!wal.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f", "--"));
                wal.forEach(segment -> rm.add(DATA_PATH + "/" + segment));
                ExecResult removed = engine.exec(helper, "root", rm);
                if (!removed.succeeded()) {
                    throw new EngineException("cannot leave WAL segments out of a cache image: rm exited with "
                            + removed.exitCode() + ":\n" + removed.stderrTail(10));
                }
            }
            engine.commit(helper, repository, key, Map.of(Labels.TRANSIENT_IMAGE, key, "dev.stateful.cache.image", image));
        } finally {
            engine.removeContainer(helper);
        }
        long committed = System.nanoTime();
        try {
            engine.push(repository, key, engine.commandTimeout());
        } finally {
            engine.removeImage(repository + ":" + key);
        }
        LOG.info("Pushed cache entry {} to {}: committed in {} ms, pushed in {} ms", key.substring(0, 12), repository,
                (committed - started) / 1_000_000, (System.nanoTime() - committed) / 1_000_000);
    }

    /**
     * Look the key's image up in the registry directly, for {@link #unpack}: {@code UNAVAILABLE}
     * when the registry cannot be read from this process, or the image is not a cache image of
     * the key (then {@link #pull} through the engine).
     *
     * @param key the cache key
     * @return what the registry says
     */
    public RegistryLayers.Lookup find(String key) {
        RegistryLayers.Lookup lookup = engine.registryLayers().find(repository, key);
        if (lookup.status() == RegistryLayers.Status.PRESENT
                && !key.equals(lookup.layer().labels().get(Labels.TRANSIENT_IMAGE))) {
            return new RegistryLayers.Lookup(RegistryLayers.Status.UNAVAILABLE, null,
                    "the image is not labelled as the cache image of the key");
        }
        return lookup;
    }

    /**
     * Unpack the data layer of a key's image straight from the registry into a volume: one
     * write, no local image; the layer's digest is checked while it streams.
     *
     * @param layer the layer {@link #find} found
     * @param image the image of the helper container the volume is mounted in
     * @param volume the target volume, existing and empty
     * @throws EngineException when it cannot be read or is damaged (discard the volume)
     */
    public void unpack(RegistryLayers.Layer layer, String image, String volume) {
        long started = System.nanoTime();
        String helper = engine.createHelper(image, Map.of(volume, DATA_PATH), Labels.forNewResource(true));
        try {
            engine.registryLayers().read(layer, in -> engine.copyToContainer(helper, in, "/"));
        } finally {
            engine.removeContainer(helper);
        }
        LOG.info("Unpacked cache layer {} ({} MB) from {} into {} in {} ms, checked while streaming",
                layer.digest().substring(0, Math.min(19, layer.digest().length())), layer.size() / 1_000_000,
                repository, volume, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Pull the image of a key, when the registry has it, and copy its data into a volume; the
     * local image is removed after.
     *
     * @param volume the target volume, existing and empty
     * @param key the cache key
     * @return {@code false} when the registry has no image of the key
     */
    public boolean pullInto(String volume, String key) {
        if (!pull(key)) {
            return false;
        }
        try {
            copyInto(key, volume);
        } finally {
            forget(key);
        }
        return true;
    }

    /**
     * Pull the image of a key, when the registry has it; {@link #forget} removes it.
     *
     * @param key the cache key
     * @return {@code false} when the registry has no image of the key
     */
    public boolean pull(String key) {
        long started = System.nanoTime();
        String lease = engine.lease(repository + ":" + key);
        boolean pulled = false;
        try {
            pulled = engine.pullIfPresent(repository, key, engine.commandTimeout());
        } finally {
            if (pulled) {
                leases.put(key, lease);
            } else {
                engine.release(lease);
            }
        }
        if (!pulled) {
            LOG.info("Cache registry {} has no entry {}", repository, key.substring(0, 12));
            return false;
        }
        LOG.info("Pulled cache entry {} from {} in {} ms", key.substring(0, 12), repository,
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /**
     * Copy the data of a pulled image into a volume.
     *
     * @param key the cache key
     * @param volume the target volume, existing and empty
     */
    public void copyInto(String key, String volume) {
        long started = System.nanoTime();
        ExecResult copy = engine.runToCompletion(repository + ":" + key,
                List.of("cp", "-a", DATA_PATH + "/.", "/to/"), Map.of(volume, "/to"), Labels.forNewResource(true),
                engine.commandTimeout());
        if (!copy.succeeded()) {
            throw new EngineException("cannot copy cache image " + repository + ":" + key + " into volume '"
                    + volume + "': cp exited with " + copy.exitCode() + ":\n" + copy.stderrTail(10));
        }
        LOG.info("Copied cache image {}:{} into {} in {} ms", repository, key.substring(0, 12), volume,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Remove the local image of a key.
     *
     * @param key the cache key
     */
    public void forget(String key) {
        try {
            engine.removeImage(repository + ":" + key);
        } finally {
            String lease = leases.remove(key);
            if (lease != null) {
                engine.release(lease);
            }
        }
    }
}
