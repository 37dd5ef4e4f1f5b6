package dev.stateful.cache;

import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.VolumeNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.testing.Sql;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cross-run state cache against a real engine. */
@Tag("docker")
class StateCacheTest {
    private final String run = UUID.randomUUID().toString();
    private final AtomicInteger builds = new AtomicInteger();
    private final java.util.Set<String> keys = new java.util.HashSet<>();

    /** The build of the tests' state on one handle, counting how often it runs. */
    private StateCache.Build seed(StatefulPostgres db) {
        return () -> {
            builds.incrementAndGet();
            Sql.run(db, "CREATE TABLE seeded AS SELECT g AS id FROM generate_series(1, 1000) g");
        };
    }

    @AfterEach
    void removeThisRunsEntries() {
        DockerEngine engine = DockerEngine.get();
        engine.volumesLabelled(StateCache.KEY_LABEL, null).forEach((marker, labels) -> {
            if (keys.contains(labels.get(StateCache.KEY_LABEL))) {
                engine.removeVolume(marker);
                engine.removeVolume(labels.get(StateCache.DATA_LABEL));
            }
        });
    }

    @Test
    void aSecondStartWithTheSameKeyCopiesTheStateInsteadOfBuildingIt() throws Exception {
        StateCache cache = new StateCache(CacheMode.READWRITE, 10);
        String key = key("same");
        try (StatefulPostgres first = StatefulPostgres.builder().nameHint("StateCacheTest").build()) {
            assertThat(cache.start(first, key, seed(first))).as("miss").isFalse();
            assertThat(Sql.count(first, "seeded")).isEqualTo(1000);
        }
        assertThat(DockerEngine.get().volumesLabelled(StateCache.KEY_LABEL, key)).hasSize(1);

        try (StatefulPostgres second = StatefulPostgres.builder().nameHint("StateCacheTest").build()) {
            assertThat(cache.start(second, key, seed(second))).as("hit").isTrue();
            assertThat(Sql.count(second, "seeded")).isEqualTo(1000);
        }
        assertThat(builds).hasValue(1);
    }

    @Test
    void twoBuildsOfTheSameKeyAtOnceEachStoreACompleteEntryThatALaterStartUses() throws Exception {
        StateCache cache = new StateCache(CacheMode.READWRITE, 1000);
        String key = key("concurrent");
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<Boolean> start = () -> {
            try (StatefulPostgres db = StatefulPostgres.builder().nameHint("StateCacheConcurrent").build()) {
                together.await();
                boolean hit = cache.start(db, key, seed(db));
                assertThat(Sql.count(db, "seeded")).isEqualTo(1000);
                return hit;
            }
        };
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = two.submit(start);
            var second = two.submit(start);
            assertThat(first.get()).as("neither saw a half-written entry").isFalse();
            assertThat(second.get()).isFalse();
        } finally {
            two.shutdown();
        }
        assertThat(DockerEngine.get().volumesLabelled(StateCache.KEY_LABEL, key)).as("each build stored its own entry").hasSize(2);
        try (StatefulPostgres later = StatefulPostgres.builder().nameHint("StateCacheConcurrent").build()) {
            assertThat(cache.start(later, key, seed(later))).isTrue();
            assertThat(Sql.count(later, "seeded")).isEqualTo(1000);
        }
        assertThat(builds).hasValue(2);
    }

    @Test
    void anotherKeyMissesAndReadonlyAndOffStoreNothing() throws Exception {
        try (StatefulPostgres a = StatefulPostgres.builder().nameHint("StateCacheTest").build()) {
            new StateCache(CacheMode.READONLY, 10).start(a, key("readonly"), seed(a));
        }
        try (StatefulPostgres b = StatefulPostgres.builder().nameHint("StateCacheTest").build()) {
            new StateCache(CacheMode.OFF, 10).start(b, key("off"), seed(b));
        }
        assertThat(builds).hasValue(2);
        assertThat(DockerEngine.get().volumesLabelled(StateCache.KEY_LABEL, key("readonly"))).isEmpty();
        assertThat(DockerEngine.get().volumesLabelled(StateCache.KEY_LABEL, key("off"))).isEmpty();
    }

    @Test
    void anExistingVolumeIsNeverOverwrittenFromTheCache() throws Exception {
        StateCache cache = new StateCache(CacheMode.READWRITE, 10);
        String key = key("existing");
        try (StatefulPostgres first = StatefulPostgres.builder().nameHint("StateCacheTest").build()) {
            cache.start(first, key, seed(first));
        }
        String name = VolumeNames.generate("StateCacheExisting");
        try (StatefulPostgres existing = StatefulPostgres.builder().volume(name).removeVolumeOnClose(true).start()) {
            existing.stop();
            assertThat(cache.start(existing, key, () -> { })).as("a user's volume is not replaced").isFalse();
            assertThat(Sql.tableExists(existing, "seeded")).isFalse();
        }
    }

    private String key(String what) {
        String key = CacheKey.builder().part("test-run", run).part("case", what).build();
        keys.add(key);
        return key;
    }
}
