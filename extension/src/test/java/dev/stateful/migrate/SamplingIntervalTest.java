package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The observer's sampling interval: fine while a migration is young, about 2% of its run after that, capped. */
class SamplingIntervalTest {
    private static Duration after(Duration elapsed) {
        return Duration.ofNanos(SafetyObserver.intervalNanos(elapsed.toNanos()));
    }

    @Test
    void aYoungMigrationIsSampledEvery20Ms() {
        assertThat(after(Duration.ZERO)).isEqualTo(Duration.ofMillis(20));
        assertThat(after(Duration.ofMillis(999))).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aLongerOneEveryTwoPercentOfItsRunUpTo200Ms() {
        assertThat(after(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(100));
        assertThat(after(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(200));
        assertThat(after(Duration.ofMinutes(30))).isEqualTo(Duration.ofMillis(200));
    }
}
