package dev.stateful.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.cache.CacheKey;
import dev.stateful.cache.StateCache;
import dev.stateful.testing.LocalRegistry;
import dev.stateful.testing.Sql;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Transfers of the cache killed midway, in a real other JVM: the image a registry pull left and
 * the data volume of an engine entry whose fill never finished are kept while their JVM runs and
 * removed by the next sweep once it is killed; a finished entry of a dead run is kept.
 */
@Tag("docker")
class InterruptedTransfersTest {
    private static final String HOLDER = "dev.stateful.cache.InterruptedTransferHolder";
    private static final String RUN = UUID.randomUUID().toString();

    private static Sweeper sweeper() {
        return new Sweeper(DockerEngine.get(), Duration.ofDays(1));
    }

    private static boolean present(String reference) {
        return DockerEngine.get().imagesLabelled(Labels.TRANSIENT_IMAGE).values().stream()
                .flatMap(Collection::stream).anyMatch(reference::equals);
    }

    @Test
    void anImageOfAKilledPullIsSweptAndALiveOnesIsNot() throws Exception {
        DockerEngine engine = DockerEngine.get();
        String key = CacheKey.builder().part("test-run", RUN).part("case", "killed-pull").build();
        try (LocalRegistry registry = LocalRegistry.start()) {
            String repository = registry.repository("acme/interrupted");
            StateCache cache = new StateCache(CacheMode.READWRITE, 10, null, repository);
            try (StatefulPostgres db = StatefulPostgres.builder().nameHint("InterruptedTransfersTest").build()) {
                cache.start(db, key, () -> Sql.run(db, "CREATE TABLE seeded AS SELECT g AS id FROM generate_series(1, 100) g"));
            } finally {
                removeEntries(key);
            }
            String reference = repository + ":" + key;
            assertThat(present(reference)).as("the push removed its local image").isFalse();

            OtherJvm other = OtherJvm.startMain(HOLDER, "pull", repository, key);
            try {
                assertThat(other.volume).isEqualTo(reference);
                assertThat(present(reference)).as("pulled by the other JVM").isTrue();
                sweeper().sweep();
                assertThat(present(reference)).as("kept while the pulling JVM runs").isTrue();

                other.process.destroyForcibly(); // SIGKILL between the pull and the copy
                assertThat(other.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(present(reference)).as("a killed JVM removes nothing").isTrue();

                sweeper().sweep();

                assertThat(present(reference)).as("swept").isFalse();
                assertThat(engine.volumesLabelled(Labels.LEASE, reference)).as("its lease too").isEmpty();
            } finally {
                other.process.destroyForcibly();
                engine.removeImage(reference);
            }
        }
    }

    @Test
    void anEngineEntryWhoseFillWasKilledIsSweptAndAFinishedOneIsKept() throws Exception {
        DockerEngine engine = DockerEngine.get();
        String key = CacheKey.builder().part("test-run", RUN).part("case", "killed-entry").build();
        OtherJvm other = OtherJvm.startMain(HOLDER, "entry", key);
        String data = other.volume;
        try {
            assertThat(engine.volumeLabels(data)).as("the data volume being filled").isPresent();
            assertThat(engine.volumesLabelled(StateCache.KEY_LABEL, key)).as("no marker yet").isEmpty();
            sweeper().sweep();
            assertThat(engine.volumeExists(data)).as("kept while the filling JVM runs").isTrue();

            other.process.destroyForcibly(); // SIGKILL midway through the fill
            assertThat(other.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.volumeExists(data)).as("a killed JVM removes nothing").isTrue();

            sweeper().sweep();

            assertThat(engine.volumeExists(data)).as("an unmarked data volume of a dead run is swept").isFalse();
        } finally {
            other.process.destroyForcibly();
            engine.removeVolume(data);
        }

        // A finished entry of a dead run: its marker names the data volume, so it stays.
        String finished = "stateful-cachedata-finished-" + Labels.runId();
        String marker = "stateful-cache-finished-" + Labels.runId();
        Map<String, String> dataLabels = Labels.forNewResource(false);
        dataLabels.put(Labels.PID, Long.toString(Integer.MAX_VALUE)); // no such process
        dataLabels.put(StateCache.DATA_LABEL, key);
        dataLabels.put(Labels.COMPLETED_BY, StateCache.DATA_LABEL);
        Map<String, String> markerLabels = Labels.forNewResource(false);
        markerLabels.put(StateCache.KEY_LABEL, key);
        markerLabels.put(StateCache.DATA_LABEL, finished);
        try {
            engine.createVolume(finished, dataLabels);
            engine.createVolume(marker, markerLabels);
            sweeper().sweep();
            assertThat(engine.volumeExists(finished)).as("named by its marker").isTrue();
        } finally {
            for (String volume : List.of(marker, finished)) {
                engine.removeVolume(volume);
            }
        }
    }

    private static void removeEntries(String key) {
        DockerEngine engine = DockerEngine.get();
        engine.volumesLabelled(StateCache.KEY_LABEL, key).forEach((marker, labels) -> {
            engine.removeVolume(marker);
            engine.removeVolume(labels.get(StateCache.DATA_LABEL));
        });
    }
}
