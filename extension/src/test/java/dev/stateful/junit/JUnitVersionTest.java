package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JUnitVersionTest {
    @Test
    void versionsFrom513OnAreSupported() {
        assertThat(JUnitVersion.supported("5.13.0")).isTrue();
        assertThat(JUnitVersion.supported("5.14.4")).isTrue();
        assertThat(JUnitVersion.supported("6.1.3")).isTrue();
        assertThat(JUnitVersion.supported("6.0.0-M1")).isTrue();
    }

    @Test
    void olderVersionsAreNot() {
        assertThat(JUnitVersion.supported("5.12.2")).isFalse();
        assertThat(JUnitVersion.supported("5.9.3")).isFalse();
    }

    @Test
    void aJarThatDoesNotSayItsVersionPasses() {
        assertThat(JUnitVersion.supported(null)).isTrue();
        assertThat(JUnitVersion.supported("unknown")).isTrue();
    }

    @Test
    void theJUnitOfThisRunIsSupported() {
        JUnitVersion.requireSupported("JUnitVersionTest");
    }
}
