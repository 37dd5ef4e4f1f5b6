package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.DockerEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two classes with generated volume names run at the same time (a barrier proves they
 * overlap) and each sees only its own data.
 */
@Tag("docker")
@Tag("also-on-junit6")
class ParallelClassesTest {
    private static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);

    @Test
    void classesRunConcurrentlyOnVolumesOfTheirOwn() {
        // On JUnit 5.10 and 5.11 parallel execution is refused (ParallelLocksTest checks the message).
        assumeTrue(JUnitVersion.atLeast(JUnitVersion.running(), 5, 12), "parallel @WithVolume needs JUnit 5.12+");
        Captured.clear();
        BOTH_RUNNING.reset();
        // Servers of their own; SharedServerTest runs the same on the default shared server.
        Kit.run(Map.of("stateful.server", "own", "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"),
                Left.class, Right.class)
                .testEvents().assertStatistics(s -> s.started(2).succeeded(2));

        assertThat(Captured.only("Left.rows")).isEqualTo("[Left-1, Left-2]");
        assertThat(Captured.only("Right.rows")).isEqualTo("[Right-1, Right-2]");
        String left = Captured.only("Left.volume");
        String right = Captured.only("Right.volume");
        assertThat(left).startsWith("stateful-Left-").isNotEqualTo(right);
        assertThat(DockerEngine.get().volumeExists(left)).isFalse();
        assertThat(DockerEngine.get().volumeExists(right)).isFalse();
    }

    static void writeAndReadMarkers(String who, StatefulPostgres db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE markers (owner text)");
            s.execute("INSERT INTO markers VALUES ('" + who + "-1')");
            // Both classes are inside their tests now: each has written before the other reads.
            BOTH_RUNNING.await(60, TimeUnit.SECONDS);
            s.execute("INSERT INTO markers VALUES ('" + who + "-2')");
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT owner FROM markers ORDER BY owner")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            Captured.add(who + ".rows", rows.toString());
            Captured.add(who + ".volume", db.volumeName());
        }
    }

    @WithVolume
    static class Left {
        @Test
        void markers(StatefulPostgres db) throws Exception {
            writeAndReadMarkers("Left", db);
        }
    }

    @WithVolume
    static class Right {
        @Test
        void markers(StatefulPostgres db) throws Exception {
            writeAndReadMarkers("Right", db);
        }
    }
}
