package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.DockerEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code @WithVolume} under JUnit's parallel execution: classes naming the same volume are
 * serialized; methods sharing a class-level handle run one at a time, so no reset ends another
 * test's session; methods with a {@code @WithVolume} of their own still run together.
 */
@Tag("docker")
@Tag("also-on-junit6")
class ParallelLocksTest {
    private static final boolean LOCKS = JUnitVersion.atLeast(JUnitVersion.running(), 5, 12);
    static final String SHARED_VOLUME = "stateful-parallel-locks-shared";
    private static final Map<String, String> PARALLEL = Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "3",
            "stateful.cache", "off");
    static final AtomicInteger ACTIVE = new AtomicInteger();
    static final AtomicInteger MAX_ACTIVE = new AtomicInteger();
    static final CyclicBarrier BOTH_OWN_METHODS = new CyclicBarrier(2);

    @Test
    void classesNamingTheSameVolumeRunOneAfterTheOther() {
        assumeTrue(LOCKS, "resource lock providers need JUnit 5.12+");
        reset();
        try {
            Kit.run(PARALLEL, SameVolumeA.class, SameVolumeB.class).allEvents()
                    .assertStatistics(s -> s.failed(0));
            assertThat(Captured.all("locks.class")).hasSize(2);
            assertThat(MAX_ACTIVE.get()).as("classes on one volume at the same time").isEqualTo(1);
        } finally {
            DockerEngine.get().removeVolume(SHARED_VOLUME);
        }
    }

    @Test
    void methodsSharingAClassHandleAreSerializedAndKeepTheirSessions() {
        assumeTrue(LOCKS, "resource lock providers need JUnit 5.12+");
        reset();
        Kit.run(PARALLEL, SharedHandle.class).allEvents().assertStatistics(s -> s.failed(0));
        assertThat(Captured.all("locks.shared")).as("each saw only its own row, in a session that lived")
                .containsExactly(1L, 1L, 1L, 1L);
        assertThat(MAX_ACTIVE.get()).as("tests on the shared handle at the same time").isEqualTo(1);
    }

    @Test
    void methodsWithAVolumeOfTheirOwnStillRunInParallel() {
        assumeTrue(LOCKS, "resource lock providers need JUnit 5.12+");
        reset();
        Kit.run(PARALLEL, OwnVolumes.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    }

    /** On JUnit 5.10 and 5.11, which ignore the locks, a class run in parallel fails, saying why. */
    @Test
    void olderJUnitRefusesParallelExecutionNamingTheVersion() {
        assumeFalse(LOCKS, "JUnit 5.12+ takes the locks");
        Kit.run(PARALLEL, SharedHandle.class).allEvents().assertThatEvents().haveAtLeastOne(finishedWithFailure(
                message(m -> m.contains("@WithVolume on ParallelLocksTest.SharedHandle: parallel execution "
                        + "(junit.jupiter.execution.parallel.enabled=true) on JUnit Jupiter " + JUnitVersion.running()
                        + "; expected JUnit 5.12 or later") && m.contains("Fix: upgrade JUnit"))));
    }

    private static void reset() {
        Captured.clear();
        ACTIVE.set(0);
        MAX_ACTIVE.set(0);
        BOTH_OWN_METHODS.reset();
    }

    static void enter() {
        MAX_ACTIVE.accumulateAndGet(ACTIVE.incrementAndGet(), Math::max);
    }

    static void leave() {
        ACTIVE.decrementAndGet();
    }

    /** Write a row, hold the session across a server-side wait, read it back on the same session. */
    static long writeWaitRead(StatefulPostgres db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS marks (id int)");
            s.execute("INSERT INTO marks VALUES (1)");
            s.execute("SELECT pg_sleep(0.5)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM marks")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ------------------------------------------------------------------ examples run by the kit

    @WithVolume(name = ParallelLocksTest.SHARED_VOLUME, cleanup = CleanupMode.ALWAYS)
    static class SameVolumeA {
        @BeforeAll
        static void in() {
            enter();
        }

        @AfterAll
        static void out() {
            leave();
        }

        @Test
        void writes(StatefulPostgres db) throws Exception {
            Captured.add("locks.class", writeWaitRead(db));
        }
    }

    /** The same class again: the same volume name, inherited with the annotation. */
    static class SameVolumeB extends SameVolumeA {
    }

    @WithVolume
    static class SharedHandle {
        @Test
        void first(StatefulPostgres db) throws Exception {
            run(db);
        }

        @Test
        void second(StatefulPostgres db) throws Exception {
            run(db);
        }

        @Test
        void third(StatefulPostgres db) throws Exception {
            run(db);
        }

        @Test
        void fourth(StatefulPostgres db) throws Exception {
            run(db);
        }

        private static void run(StatefulPostgres db) throws Exception {
            enter();
            try {
                Captured.add("locks.shared", writeWaitRead(db));
            } finally {
                leave();
            }
        }
    }

    @WithVolume
    static class OwnVolumes {
        @Test
        @WithVolume
        void one(StatefulPostgres db) throws Exception {
            meet(db);
        }

        @Test
        @WithVolume
        void two(StatefulPostgres db) throws Exception {
            meet(db);
        }

        private static void meet(StatefulPostgres db) throws Exception {
            writeWaitRead(db);
            // Fails with a timeout when the two methods ran one after the other.
            BOTH_OWN_METHODS.await(120, TimeUnit.SECONDS);
        }
    }
}
