package dev.stateful.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The extension's tests run on the JUnit the build meant: 5.14, or 6.1 with -Pjunit6. */
@Tag("also-on-junit6")
class RunningJUnitTest {
    @Test
    void jupiterPlatformAndTheEngineTestKitAreOfTheExpectedJUnit() {
        RunningJUnit.assertExpected(EngineTestKit.class);
    }
}
