package dev.stateful.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.cache.RegistryStore;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.RegistryLayers;
import dev.stateful.testing.LocalRegistry;
import dev.stateful.testing.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The registry as the shared store ({@code stateful.cache.registry}), against Debian's reference
 * registry started by the test on 127.0.0.1: a miss pushes the entry as {@code <repo>:<key>}; a
 * runner whose engine has no entry pulls it instead of building; a key the registry lacks builds.
 */
@Tag("docker")
class CacheRegistryTest {
    private static final String RUN = UUID.randomUUID().toString();
    private static LocalRegistry registry;
    private final AtomicInteger builds = new AtomicInteger();

    @BeforeAll
    static void startTheRegistry() throws Exception {
        registry = LocalRegistry.start();
    }

    @AfterAll
    static void stopTheRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private static void emptyTheEngine(String key) throws InterruptedException {
        assertThat(SharedEntries.awaitBackground(Duration.ofMinutes(2))).as("background entries made").isTrue();
        DockerEngine engine = DockerEngine.get();
        engine.volumesLabelled(StateCache.KEY_LABEL, key).forEach((marker, labels) -> {
            engine.removeVolume(marker);
            engine.removeVolume(labels.get(StateCache.DATA_LABEL));
        });
    }

    private boolean start(StateCache cache, String key) throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheRegistryTest").build()) {
            boolean hit = cache.start(db, key, () -> {
                builds.incrementAndGet();
                Sql.run(db, "CREATE TABLE seeded AS SELECT g AS id FROM generate_series(1, 2500) g");
            });
            assertThat(Sql.count(db, "seeded")).isEqualTo(2500);
            return hit;
        }
    }

    @Test
    void anEntryPushedAfterAMissIsPulledByARunnerWhoseEngineHasNone() throws Exception {
        String key = CacheKey.builder().part("test-run", RUN).part("case", "registry").build();
        StateCache cache = new StateCache(CacheMode.READWRITE, 10, null, registry.repository("acme/stateful-cache"));
        try {
            assertThat(start(cache, key)).as("the first runner builds").isFalse();
            emptyTheEngine(key);
            assertThat(new RegistryStore(DockerEngine.get(), registry.repository("acme/stateful-cache")).find(key)
                    .status()).as("the layer is read straight from the registry").isEqualTo(RegistryLayers.Status.PRESENT);
            assertThat(start(cache, key)).as("the second runner pulls").isTrue();
            assertThat(DockerEngine.get().imagesLabelled("dev.stateful.cache").values().stream()
                    .flatMap(List::stream).filter(tag -> tag.endsWith(":" + key))).as("no local image").isEmpty();
            assertThat(builds).hasValue(1);
            assertThat(SharedEntries.awaitBackground(Duration.ofMinutes(2))).isTrue();
            assertThat(DockerEngine.get().volumesLabelled(StateCache.KEY_LABEL, key)).as("the pull filled the engine")
                    .hasSize(1);

            String other = CacheKey.builder().part("test-run", RUN).part("case", "absent").build();
            try {
                StateCache readonly = new StateCache(CacheMode.READONLY, 10, null, registry.repository("acme/stateful-cache"));
                assertThat(start(readonly, other)).as("a key the registry lacks is built").isFalse();
                assertThat(builds).hasValue(2);
            } finally {
                emptyTheEngine(other);
            }
        } finally {
            emptyTheEngine(key);
        }
    }

    @Test
    void aLayerDamagedInTheRegistryIsDetectedByItsDigestAndTheStateIsBuilt() throws Exception {
        String key = CacheKey.builder().part("test-run", RUN).part("case", "damaged-layer").build();
        String repository = registry.repository("acme/damaged");
        StateCache cache = new StateCache(CacheMode.READWRITE, 10, null, repository);
        try {
            assertThat(start(cache, key)).as("the first runner builds and pushes").isFalse();
            emptyTheEngine(key);
            RegistryLayers.Lookup lookup = new RegistryStore(DockerEngine.get(), repository).find(key);
            assertThat(lookup.status()).as("read straight from the registry").isEqualTo(RegistryLayers.Status.PRESENT);
            assertThat(lookup.layer().labels()).containsEntry("dev.stateful.cache", key);
            Path blob = registry.blob(lookup.layer().digest());
            byte[] bytes = Files.readAllBytes(blob);
            for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
                bytes[i] ^= 0x5a;
            }
            Files.write(blob, bytes);

            assertThat(start(cache, key)).as("a damaged layer is never used").isFalse();
            assertThat(builds).hasValue(2);
        } finally {
            emptyTheEngine(key);
        }
    }

    @Test
    void aRepositoryWithATagOrUpperCaseIsRefusedBeforeAnything() {
        for (String bad : List.of("localhost:5000/acme/cache:latest", "Localhost:5000/Acme", "no-slash")) {
            assertThatThrownBy(() -> new StateCache(CacheMode.READWRITE, 10, null, bad))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageStartingWith("cache registry '" + bad + "' is invalid; expected a repository without a tag");
        }
    }
}
