package dev.stateful.internal.engine;

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
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void deadOwnerOfThisHostAndNamespaceIsSweptAtOnce() {
        assertThat(Sweeper.isOrphan(labels(Labels.currentHost(), DEAD_PID, NOW), NOW, DAY)).as("created just now").isTrue();
    }

    @Test
    void aKeptResourceIsNeverAnOrphanThoughItsOwnerIsGone() {
        Map<String, String> labels = labels(Labels.currentHost(), DEAD_PID, NOW);
        labels.put(Labels.EPHEMERAL, "false"); // a cache entry's data volume: swept only while no marker names it
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).isFalse();
        assertThat(Sweeper.ownerGone(labels, NOW, DAY)).isTrue();
        labels.put(Labels.PID, Long.toString(ProcessHandle.current().pid()));
        assertThat(Sweeper.ownerGone(labels, NOW, DAY)).as("this process runs").isFalse();
        Map<String, String> notOurs = labels(Labels.currentHost(), DEAD_PID, NOW);
        notOurs.remove(Labels.STATEFUL);
        assertThat(Sweeper.ownerGone(notOurs, NOW, DAY)).as("not Stateful's").isFalse();
    }

    @Test
    void aRegistryIsReadOverPlainHttpOnlyOnALoopbackAddress() {
        assertThat(RegistryLayers.isLoopback("127.0.0.1:5000")).isTrue();
        assertThat(RegistryLayers.isLoopback("localhost:5000")).isTrue();
        assertThat(RegistryLayers.isLoopback("localhost")).isTrue();
        assertThat(RegistryLayers.isLoopback("registry.example.com:5000")).isFalse();
        assertThat(RegistryLayers.isLoopback("localhost.example.com")).isFalse();
    }

    @Test
    void aPidReusedByALaterProcessIsNotTheOwner() {
        Map<String, String> labels = labels(Labels.currentHost(), ProcessHandle.current().parent().orElseThrow().pid(), NOW);
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).as("the parent runs, started when the label says").isFalse();
        labels.put(Labels.PROCESS_STARTED, Long.toString(NOW));
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).as("a process with that pid started later").isTrue();
    }

    @Test
    void otherNamespaceOrBootKeepsTheAgeThreshold() {
        Map<String, String> labels = labels(Labels.currentHost(), DEAD_PID, NOW - Duration.ofMinutes(30).toMillis());
        labels.put(Labels.PID_NAMESPACE, "pid:[1]");
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).isFalse();
        assertThat(Sweeper.isOrphan(labels, NOW, Duration.ofMinutes(29))).as("configured threshold").isTrue();
        labels = labels(Labels.currentHost(), DEAD_PID, NOW - Duration.ofMinutes(30).toMillis());
        labels.put(Labels.BOOT_ID, "another-boot");
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).isFalse();
        labels.put(Labels.PID_NAMESPACE, Labels.UNKNOWN);
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).as("an unknown namespace proves nothing").isFalse();
    }

    @Test
    void labelsNameTheOwnersNamespaceBootAndStartTime() {
        Map<String, String> labels = Labels.forNewResource(true);
        assertThat(labels.get(Labels.PID_NAMESPACE)).matches("pid:\\[[0-9]+]");
        assertThat(labels.get(Labels.BOOT_ID)).matches("[0-9a-f-]{36}");
        assertThat(Long.parseLong(labels.get(Labels.PROCESS_STARTED))).isPositive().isLessThanOrEqualTo(System.currentTimeMillis());
    }

    @Test
    void sameHostDeadOwnerOld() {
        assertThat(Sweeper.isOrphan(legacy(Labels.currentHost(), DEAD_PID, OLD), NOW, DAY)).isTrue();
    }

    @Test
    void sameHostDeadOwnerExactlyTheMinimumAge() {
        long created = NOW - Sweeper.MIN_AGE.toMillis();
        assertThat(Sweeper.isOrphan(legacy(Labels.currentHost(), DEAD_PID, created), NOW, DAY)).isTrue();
    }

    @Test
    void ownerAlive() {
        assertThat(Sweeper.isOrphan(legacy(Labels.currentHost(), ProcessHandle.current().pid(), OLD), NOW, DAY)).isFalse();
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        assertThat(Sweeper.isOrphan(legacy(Labels.currentHost(), parent, OLD), NOW, DAY)).isFalse();
    }

    @Test
    void young() {
        assertThat(Sweeper.isOrphan(legacy(Labels.currentHost(), DEAD_PID, YOUNG), NOW, DAY)).isFalse();
    }

    @Test
    void otherHostOnlyAfterADay() {
        String other = Labels.currentHost() + "-elsewhere";
        long alivePidHere = ProcessHandle.current().pid(); // means nothing on another host
        assertThat(Sweeper.isOrphan(legacy(other, alivePidHere, NOW - Duration.ofHours(23).toMillis()), NOW, DAY)).isFalse();
        assertThat(Sweeper.isOrphan(legacy(other, alivePidHere, NOW - Duration.ofHours(25).toMillis()), NOW, DAY)).isTrue();
    }

    @Test
    void notEphemeral() {
        Map<String, String> labels = labels(Labels.currentHost(), DEAD_PID, OLD);
        labels.put(Labels.EPHEMERAL, "false");
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).isFalse();
        labels.remove(Labels.EPHEMERAL);
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).isFalse();
    }

    @Test
    void notStatefuls() {
        Map<String, String> labels = labels(Labels.currentHost(), DEAD_PID, OLD);
        labels.remove(Labels.STATEFUL);
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).isFalse();
    }

    @Test
    void unreadableLabelsCountAsYoungAndAlive() {
        Map<String, String> labels = legacy(Labels.currentHost(), DEAD_PID, OLD);
        labels.put(Labels.CREATED, "yesterday");
        assertThat(Sweeper.isOrphan(labels, NOW, DAY)).isFalse();
    }

    @Test
    void labelsOfNewResources() {
        Map<String, String> labels = Labels.forNewResource(true);
        assertThat(labels).containsEntry(Labels.STATEFUL, "true").containsEntry(Labels.EPHEMERAL, "true")
                .containsEntry(Labels.PID, Long.toString(ProcessHandle.current().pid()))
                .containsEntry(Labels.HOST, Labels.currentHost()).containsEntry(Labels.RUN, Labels.runId());
        assertThat(Sweeper.isOrphan(labels, System.currentTimeMillis() + Duration.ofDays(2).toMillis(), DAY))
                .as("our own resources, however old").isFalse();
        assertThat(Labels.forNewResource(false)).containsEntry(Labels.EPHEMERAL, "false");
    }

    /** Labels of an older Stateful, without namespace, boot id and start time. */
    private static Map<String, String> legacy(String host, long pid, long created) {
        Map<String, String> labels = labels(host, pid, created);
        labels.remove(Labels.PID_NAMESPACE);
        labels.remove(Labels.BOOT_ID);
        labels.remove(Labels.PROCESS_STARTED);
        return labels;
    }

    private static Map<String, String> labels(String host, long pid, long created) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Labels.STATEFUL, "true");
        labels.put(Labels.EPHEMERAL, "true");
        labels.put(Labels.HOST, host);
        labels.put(Labels.PID, Long.toString(pid));
        labels.put(Labels.CREATED, Long.toString(created));
        labels.put(Labels.RUN, "0badc0de");
        labels.put(Labels.PID_NAMESPACE, Labels.currentPidNamespace());
        labels.put(Labels.BOOT_ID, Labels.currentBootId());
        ProcessHandle.of(pid).ifPresent(p -> labels.put(Labels.PROCESS_STARTED, Long.toString(Labels.startedMillis(p))));
        return labels;
    }
}
