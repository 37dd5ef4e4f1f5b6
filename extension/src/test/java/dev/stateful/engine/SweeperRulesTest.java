package dev.stateful.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which leftovers the sweep removes: pure logic over labels, no Docker. */
class SweeperRulesTest {
    private static final long NOW = 1_800_000_000_000L;
    /** Above any pid_max: no such process. */
    private static final long DEAD_PID = Integer.MAX_VALUE;
    private static final long OLD = NOW - Duration.ofMinutes(2).toMillis();
    private static final long YOUNG = NOW - Duration.ofSeconds(10).toMillis();

    @Test
    void sameHostDeadOwnerOld() {
        assertThat(Sweeper.isOrphan(labels(Labels.currentHost(), DEAD_PID, OLD), NOW)).isTrue();
    }

    @Test
    void sameHostDeadOwnerExactlyTheMinimumAge() {
        long created = NOW - Sweeper.MIN_AGE.toMillis();
        assertThat(Sweeper.isOrphan(labels(Labels.currentHost(), DEAD_PID, created), NOW)).isTrue();
    }

    @Test
    void ownerAlive() {
        assertThat(Sweeper.isOrphan(labels(Labels.currentHost(), ProcessHandle.current().pid(), OLD), NOW)).isFalse();
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        assertThat(Sweeper.isOrphan(labels(Labels.currentHost(), parent, OLD), NOW)).isFalse();
    }

    @Test
    void young() {
        assertThat(Sweeper.isOrphan(labels(Labels.currentHost(), DEAD_PID, YOUNG), NOW)).isFalse();
    }

    @Test
    void otherHostOnlyAfterADay() {
        String other = Labels.currentHost() + "-elsewhere";
        long alivePidHere = ProcessHandle.current().pid(); // means nothing on another host
        assertThat(Sweeper.isOrphan(labels(other, alivePidHere, NOW - Duration.ofHours(23).toMillis()), NOW)).isFalse();
        assertThat(Sweeper.isOrphan(labels(other, alivePidHere, NOW - Duration.ofHours(25).toMillis()), NOW)).isTrue();
    }

    @Test
    void notEphemeral() {
        Map<String, String> labels = labels(Labels.currentHost(), DEAD_PID, OLD);
        labels.put(Labels.EPHEMERAL, "false");
        assertThat(Sweeper.isOrphan(labels, NOW)).isFalse();
        labels.remove(Labels.EPHEMERAL);
        assertThat(Sweeper.isOrphan(labels, NOW)).isFalse();
    }

    @Test
    void notStatefuls() {
        Map<String, String> labels = labels(Labels.currentHost(), DEAD_PID, OLD);
        labels.remove(Labels.STATEFUL);
        assertThat(Sweeper.isOrphan(labels, NOW)).isFalse();
    }

    @Test
    void unreadableLabelsCountAsYoungAndAlive() {
        Map<String, String> labels = labels(Labels.currentHost(), DEAD_PID, OLD);
        labels.put(Labels.CREATED, "yesterday");
        assertThat(Sweeper.isOrphan(labels, NOW)).isFalse();
    }

    @Test
    void labelsOfNewResources() {
        Map<String, String> labels = Labels.forNewResource(true);
        assertThat(labels).containsEntry(Labels.STATEFUL, "true").containsEntry(Labels.EPHEMERAL, "true")
                .containsEntry(Labels.PID, Long.toString(ProcessHandle.current().pid()))
                .containsEntry(Labels.HOST, Labels.currentHost()).containsEntry(Labels.RUN, Labels.runId());
        assertThat(Sweeper.isOrphan(labels, System.currentTimeMillis() + Duration.ofDays(2).toMillis()))
                .as("our own resources, however old").isFalse();
        assertThat(Labels.forNewResource(false)).containsEntry(Labels.EPHEMERAL, "false");
    }

    private static Map<String, String> labels(String host, long pid, long created) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Labels.STATEFUL, "true");
        labels.put(Labels.EPHEMERAL, "true");
        labels.put(Labels.HOST, host);
        labels.put(Labels.PID, Long.toString(pid));
        labels.put(Labels.CREATED, Long.toString(created));
        labels.put(Labels.RUN, "0badc0de");
        return labels;
    }
}
