package dev.stateful.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;

/**
 * The JUnit a test run really runs on, checked against the one the build meant: the system
 * property {@code stateful.expected-junit}, which the modules' surefire configuration sets to
 * {@code junit.runtime.version} (5.14 by default, 6.1 with the Maven profile {@code junit6}).
 */
public final class RunningJUnit {
    /** The system property that names the JUnit version a run is meant to run on. */
    public static final String EXPECTED = "stateful.expected-junit";

    private RunningJUnit() {
    }

    /**
     * Assert that the Jupiter API and engine on the classpath are of the expected JUnit version,
     * and that the JUnit Platform beside them is of the same release (1.x for Jupiter 5.x, the
     * same number from JUnit 6 on). Skipped when the property is not set (a run outside Maven).
     *
     * @param platformClasses classes of JUnit Platform jars the module's tests use beyond
     *     {@code junit-platform-commons}, such as the engine test kit
     */
    public static void assertExpected(Class<?>... platformClasses) {
        String expected = System.getProperty(EXPECTED);
        Assumptions.assumeTrue(expected != null && !expected.isBlank(), EXPECTED + " is not set");
        assertThat(version(org.junit.jupiter.api.Test.class)).as("junit-jupiter-api").startsWith(expected);
        assertThat(version(load("org.junit.jupiter.engine.JupiterTestEngine"))).as("junit-jupiter-engine")
                .startsWith(expected);
        String platform = expected.startsWith("5.") ? "1." + expected.substring(2) : expected;
        assertThat(version(org.junit.platform.commons.annotation.Testable.class)).as("junit-platform-commons")
                .startsWith(platform);
        for (Class<?> type : platformClasses) {
            assertThat(version(type)).as(type.getName()).startsWith(platform);
        }
    }

    private static String version(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        assertThat(version).as("Implementation-Version of the jar of " + type.getName()).isNotNull();
        return version;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, RunningJUnit.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " is not on the test classpath", e);
        }
    }
}
