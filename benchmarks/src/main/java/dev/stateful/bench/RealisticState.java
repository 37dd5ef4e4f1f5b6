package dev.stateful.bench;

import dev.stateful.StatefulPostgres;
import dev.stateful.cache.CacheKey;
import dev.stateful.cache.StateCache;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.migrate.MigrationSettings;
import java.nio.file.Path;

/**
 * The state the cache benchmarks start classes in: the realistic fixture dump restored, then the
 * fixture migrations V2..V5, under a cache key of this run only. Closing it removes this run's
 * cache entries.
 */
final class RealisticState implements AutoCloseable {
    private final Path dump;
    private final MigrationSettings migrations = Fixtures.migrationSettings();
    private final String key;

    /**
     * Make (or reuse) the realistic dump of a scale and key it for this run.
     *
     * @param scale the realistic dataset's scale
     * @param image the image the dump is made with and the handles run
     * @throws Exception when the dump cannot be made
     */
    RealisticState(double scale, String image) throws Exception {
        this.dump = Fixtures.realisticDump(scale, image);
        this.key = CacheKey.builder().part("image-id", DockerEngine.get().image(image).id()).file("dump", dump)
                .part("migrations", migrations.toString()).part("bench-run", Long.toString(System.nanoTime())).build();
    }

    Path dump() {
        return dump;
    }

    String key() {
        return key;
    }

    /** What builds the state on a handle: restore the dump, then migrate. */
    StateCache.Build buildOn(StatefulPostgres db) {
        return () -> {
            db.restoreDump(dump);
            db.migrations().withSettings(migrations).migrate();
        };
    }

    @Override
    public void close() {
        removeEntries();
    }

    /** Remove this run's entries from the engine, as on a fresh CI runner. */
    void removeEntries() {
        DockerEngine engine = DockerEngine.get();
        engine.volumesLabelled(StateCache.KEY_LABEL, key).forEach((marker, labels) -> {
            engine.removeVolume(marker);
            engine.removeVolume(labels.get(StateCache.DATA_LABEL));
        });
    }
}
