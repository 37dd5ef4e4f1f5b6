package dev.stateful.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.StartupException;
import dev.stateful.StatefulPostgres;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real other processes: a SIGKILLed JVM's leftovers are swept by the next run at once; a second
 * JVM on a volume another JVM runs a server on is refused before it starts one; the shutdown
 * hook of a JVM whose test thread holds a handle's lock still cleans up, within a deadline.
 */
@Tag("docker")
class OtherProcessesTest {

    @Test
    void aSigkilledRunsContainerAndVolumeAreGoneAfterTheNextSweep() throws Exception {
        DockerEngine engine = DockerEngine.get();
        OtherJvm other = OtherJvm.start("-");
        assertThat(engine.status(other.container).running()).isTrue();
        assertThat(engine.volumeExists(other.volume)).isTrue();

        other.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(other.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.status(other.container).exists()).as("a killed JVM cleans nothing up").isTrue();

        new Sweeper(engine, Duration.ofDays(1)).sweep();

        assertThat(engine.status(other.container).exists()).as("swept with no minimum age").isFalse();
        assertThat(engine.volumeExists(other.volume)).isFalse();
    }

    @Test
    void aSharedServerOfASigkilledRunIsSweptByTheNextRun() throws Exception {
        DockerEngine engine = DockerEngine.get();
        OtherJvm other = OtherJvm.startMain("dev.stateful.junit.SharedServerHolder");
        assertThat(other.volume).startsWith("stateful-shared-");
        assertThat(engine.status(other.container).running()).isTrue();

        other.process.destroyForcibly(); // SIGKILL while a class runs on the shared server
        assertThat(other.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.status(other.container).exists()).as("a killed JVM cleans nothing up").isTrue();

        new Sweeper(engine, Duration.ofDays(1)).sweep();

        assertThat(engine.status(other.container).exists()).as("the shared server is swept").isFalse();
        assertThat(engine.volumeExists(other.volume)).isFalse();
    }

    @Test
    void aSecondJvmOnTheSameVolumeIsRefusedBeforeItStartsAServer() throws Exception {
        DockerEngine engine = DockerEngine.get();
        String volume = "stateful-two-jvms-" + Labels.runId();
        try (OtherJvm other = OtherJvm.start(volume)) {
            String containerName = volume + "-";
            StatefulPostgres.Builder second = StatefulPostgres.builder().volume(volume);
            try (StatefulPostgres db = second.build()) {
                assertThatThrownBy(db::start)
                        .isInstanceOf(StartupException.class)
                        .hasMessageStartingWith("volume '" + volume + "' is in use: container '" + containerName)
                        .hasMessageContaining("' runs on it, owned by Stateful run ")
                        .hasMessageContaining("(host " + Labels.currentHost() + ", pid " + other.process.pid() + " in "
                                + Labels.currentPidNamespace() + "); expected no other container on the volume, because "
                                + "two Postgres servers on one data directory corrupt it. Fix: wait for that run to "
                                + "finish or stop that container (docker stop " + containerName)
                        .hasMessageEndingWith("), or give this test another volume name.");
                assertThat(engine.runningContainersOn(volume)).as("only the other JVM's server").hasSize(1);
            }
        } finally {
            engine.removeVolume(volume);
        }
    }

    @Test
    void theShutdownHookDoesNotWaitForALockATestThreadHolds() throws Exception {
        DockerEngine engine = DockerEngine.get();
        OtherJvm other = OtherJvm.start("-", "exit-while-locked");
        assertThat(other.process.waitFor(90, TimeUnit.SECONDS)).as("the JVM exits despite the held lock").isTrue();
        assertThat(engine.status(other.container).exists()).as("removed on a best effort after the deadline").isFalse();
        assertThat(engine.volumeExists(other.volume)).isFalse();
    }
}
