package dev.stateful.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A migrator's private network left by a dead run is swept; one of a live run stays. */
@Tag("docker")
class SweeperNetworksTest {
    @Test
    void removesTheNetworkOfADeadRunAndKeepsALiveOne() {
        DockerEngine engine = DockerEngine.get();
        long deadPid = 4_000_000;
        while (ProcessHandle.of(deadPid).isPresent()) {
            deadPid++;
        }
        Map<String, String> orphan = Labels.forNewResource(true);
        orphan.put(Labels.PID, Long.toString(deadPid));
        orphan.put(Labels.CREATED, Long.toString(System.currentTimeMillis() - Sweeper.MIN_AGE.toMillis() - 1000));
        String orphanName = "stateful-migrate-sweep-orphan-" + Labels.runId();
        String liveName = "stateful-migrate-sweep-live-" + Labels.runId();
        String orphanId = engine.createNetwork(orphanName, orphan);
        String liveId = engine.createNetwork(liveName, Labels.forNewResource(true));
        try {
            new Sweeper(engine, Duration.ofDays(1)).sweep();

            Map<String, Map<String, String>> left = engine.networksLabelled(Labels.RUN, Labels.runId());
            assertThat(left).doesNotContainKey(orphanName).containsKey(liveName);
        } finally {
            engine.removeNetwork(orphanId);
            engine.removeNetwork(liveId);
        }
    }
}
