package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JUnitVersionTest {
    @Test
    void versionsAreComparedByMajorAndMinor() {
        assertThat(JUnitVersion.atLeast("5.12.2", 5, 12)).isTrue();
        assertThat(JUnitVersion.atLeast("5.14.4", 5, 12)).isTrue();
        assertThat(JUnitVersion.atLeast("6.0.0-M1", 5, 12)).isTrue();
        assertThat(JUnitVersion.atLeast("5.11.4", 5, 12)).isFalse();
        assertThat(JUnitVersion.atLeast("5.10.3", 5, 12)).isFalse();
    }

    @Test
    void aJarThatDoesNotSayItsVersionCountsAsNewEnough() {
        assertThat(JUnitVersion.atLeast(null, 5, 12)).isTrue();
        assertThat(JUnitVersion.atLeast("unknown", 5, 12)).isTrue();
    }
}
