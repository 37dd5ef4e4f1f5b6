package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.StatefulException;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.ContainerSpec;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A cleanup that cannot remove something fails, listing every leftover, after trying every
 * step: here a container the test made still holds the volume and a snapshot volume.
 */
@Tag("docker")
@Tag("also-on-junit6")
class HonestCleanupTest {
    private static final List<String> BLOCKERS = new ArrayList<>();

    @Test
    void closeTriesEveryStepAndListsWhatItCouldNotRemove() {
        DockerEngine engine = DockerEngine.get();
        StatefulPostgres db = StatefulPostgres.builder().nameHint("HonestCleanup").start();
        String volume = db.volumeName();
        String snapshot = volume + "--snap-kept";
        String container = db.containerId();
        try {
            db.snapshots().snapshotVolume("kept");
            block(volume);
            block(snapshot);

            assertThatThrownBy(db::close)
                    .isInstanceOf(StatefulException.class)
                    .hasMessageStartingWith("cleanup of " + db + " could not remove volume '" + volume + "' (cannot remove volume '"
                            + volume + "': ")
                    .hasMessageContaining("; snapshot volume '" + snapshot + "' (cannot remove volume '" + snapshot + "': ")
                    .hasMessageEndingWith(". Expected every container and volume Stateful created for it to be gone. Fix: "
                            + "stop what still uses them, then remove them (docker rm -f, docker volume rm); the next "
                            + "run's sweep removes ephemeral ones once their owner is gone.");
            assertThat(engine.status(container).exists()).as("the container step ran although later ones failed").isFalse();
        } finally {
            unblock();
            engine.removeVolume(volume);
            engine.removeVolume(snapshot);
        }
    }

    @Test
    void aClassWhoseVolumeCannotBeRemovedFails() {
        try {
            Throwable failure = Kit.onlyFailure(Kit.run(BlockedClass.class));
            // JUnit reports the failed close of the class's store value as the class's failure.
            assertThat(failure).hasStackTraceContaining(StatefulException.class.getName())
                    .hasStackTraceContaining(" could not remove volume '" + Captured.only("blocked.volume") + "' (");
        } finally {
            unblock();
            DockerEngine.get().removeVolume(Captured.only("blocked.volume"));
        }
    }

    @WithVolume
    static class BlockedClass {
        @Test
        void leavesAContainerOnTheVolume(StatefulPostgres db) {
            Captured.add("blocked.volume", db.volumeName());
            block(db.volumeName());
        }
    }

    /** Create (not start) a container of our own on a volume: Docker then refuses to remove the volume. */
    static synchronized void block(String volume) {
        BLOCKERS.add(DockerEngine.get().createContainer(new ContainerSpec("stateful-blocker-" + volume,
                dev.stateful.StatefulSettings.defaultImage(), List.of(), List.of("true"), volume, "/blocked", 5432, "127.0.0.1",
                Labels.forNewResource(true), Map.of())));
    }

    static synchronized void unblock() {
        BLOCKERS.forEach(DockerEngine.get()::removeContainer);
        BLOCKERS.clear();
    }
}
