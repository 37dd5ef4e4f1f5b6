package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.testing.Sql;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A volume that held the user's data before the class started is never removed to rebuild a
 * lost baseline: the next test fails with a message saying what to do, and the data stays.
 */
@Tag("docker")
class ExistingVolumeBaselineLostTest {
    static final String VOLUME = "stateful-existing-baseline-lost";

    @Test
    void theNextTestFailsAndTheUsersDataStays() throws Exception {
        DockerEngine engine = DockerEngine.get();
        try {
            try (StatefulPostgres db = StatefulPostgres.builder().volume(VOLUME).start()) {
                Sql.run(db, "CREATE TABLE precious (id int)", "INSERT INTO precious VALUES (1)");
            }
            Throwable failure = Kit.onlyFailure(Kit.run(DropsTheBaseline.class));
            assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                    "@WithVolume(reset = BEFORE_EACH) on ExistingVolumeBaselineLostTest.DropsTheBaseline: the baseline "
                            + "snapshot is gone and volume '" + VOLUME + "' held data before this class started, so its "
                            + "state cannot be built again; expected the baseline to last for the whole class. Fix: give "
                            + "the test that replaces the data its own method-level @WithVolume, or use reset = Reset.NONE.");
            try (StatefulPostgres db = StatefulPostgres.builder().volume(VOLUME).start()) {
                assertThat(Sql.count(db, "precious")).as("the user's data is still there").isEqualTo(1);
            }
        } finally {
            engine.removeVolume(VOLUME);
        }
    }

    @WithVolume(name = VOLUME)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class DropsTheBaseline {
        @Test
        @Order(1)
        void dropsIt(StatefulPostgres db) {
            db.snapshots().drop(ManagedHandle.BASELINE);
        }

        @Test
        @Order(2)
        void cannotStartFromIt(StatefulPostgres db) {
            // never runs: beforeEach fails
        }
    }
}
