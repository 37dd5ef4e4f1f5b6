package dev.stateful.examples;

import dev.stateful.testing.RunningJUnit;
import org.junit.jupiter.api.Test;

/** The example tests run on the JUnit the build meant: 5.14, or 6.1 with -Pjunit6. */
class RunningJUnitTest {
    @Test
    void jupiterAndPlatformAreOfTheExpectedJUnit() {
        RunningJUnit.assertExpected();
    }
}
