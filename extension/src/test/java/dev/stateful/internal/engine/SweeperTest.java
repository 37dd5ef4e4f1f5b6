package dev.stateful.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The sweep against a real engine: it removes leftovers of a dead process, nothing else. */
@Tag("docker")
class SweeperTest {
    private static final String IMAGE = dev.stateful.StatefulSettings.defaultImage();

    @Test
    void removesLeftoversOfADeadRunAndKeepsLiveOnesAndKeptVolumes() {
        DockerEngine engine = DockerEngine.get();
        long deadPid = deadPid();
        String old = Long.toString(System.currentTimeMillis() - Sweeper.MIN_AGE.toMillis() - 1000);

        Map<String, String> orphanLabels = Labels.forNewResource(true);
        orphanLabels.put(Labels.PID, Long.toString(deadPid));
        orphanLabels.put(Labels.CREATED, old);
        Map<String, String> keptLabels = Labels.forNewResource(false);
        keptLabels.put(Labels.PID, Long.toString(deadPid));
        keptLabels.put(Labels.CREATED, old);

        String orphanVolume = "stateful-sweep-orphan-" + Labels.runId();
        String keptVolume = "stateful-sweep-kept-" + Labels.runId();
        String liveVolume = "stateful-sweep-live-" + Labels.runId();
        engine.createVolume(orphanVolume, orphanLabels);
        engine.createVolume(keptVolume, keptLabels);
        engine.createVolume(liveVolume, Labels.forNewResource(true));
        String orphanContainer = engine.createContainer(spec("stateful-sweep-orphan-" + Labels.runId(), orphanVolume, orphanLabels));
        try {
            new Sweeper(engine, java.time.Duration.ofDays(1)).sweep();

            assertThat(engine.status(orphanContainer).exists()).isFalse();
            assertThat(engine.volumeExists(orphanVolume)).isFalse();
            assertThat(engine.volumeExists(keptVolume)).as("a volume the user keeps is never swept").isTrue();
            assertThat(engine.volumeExists(liveVolume)).as("this process is alive").isTrue();
        } finally {
            engine.removeContainer(orphanContainer);
            engine.removeVolume(orphanVolume);
            engine.removeVolume(keptVolume);
            engine.removeVolume(liveVolume);
        }
    }

    private static ContainerSpec spec(String name, String volume, Map<String, String> labels) {
        return new ContainerSpec(name, IMAGE, List.of("POSTGRES_PASSWORD=unused"), List.of("postgres"), volume,
                "/var/lib/postgresql/data", 5432, "127.0.0.1", labels, Map.of());
    }

    private static long deadPid() {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid++;
        }
        return pid;
    }
}
