package dev.stateful.junit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit Jupiter version the tests run on. Stateful works on JUnit 5.10 and later; one
 * feature needs more: the resource locks that make {@code @WithVolume} safe under parallel
 * execution ({@link VolumeLocks}) are a JUnit 5.12 API, which older versions ignore. So a class
 * run in parallel on JUnit 5.10 or 5.11 fails with this explanation, and nothing else checks the
 * version.
 */
final class JUnitVersion {
    static final String PARALLEL = "junit.jupiter.execution.parallel.enabled";
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+).*");

    private JUnitVersion() {
    }

    /** The version of JUnit Jupiter's API jar, or {@code null} when its jar does not say. */
    static String running() {
        return ExtensionContext.class.getPackage().getImplementationVersion();
    }

    /**
     * Fail when parallel execution is on and the running JUnit cannot take {@code @WithVolume}'s
     * resource locks (older than 5.12): tests would share a server and reset it under each other.
     */
    static void requireLocksWhenParallel(ExtensionContext context, String where) {
        boolean parallel = context.getConfigurationParameter(PARALLEL).map(Boolean::parseBoolean).orElse(false);
        String version = running();
        if (parallel && !atLeast(version, 5, 12)) {
            throw new ExtensionConfigurationException("@WithVolume on " + where + ": parallel execution (" + PARALLEL
                    + "=true) on JUnit Jupiter " + version + "; expected JUnit 5.12 or later for it, because older "
                    + "versions ignore the resource locks that keep tests from resetting a shared database under each "
                    + "other (JUnit 5.10 and 5.11 are supported without parallel execution). Fix: upgrade JUnit to "
                    + "5.12 or later (Spring Boot 3.5's own 5.12 will do), or set " + PARALLEL + "=false.");
        }
    }

    /** Whether {@code version} is at least {@code major.minor}; a version that cannot be read counts as new enough. */
    static boolean atLeast(String version, int major, int minor) {
        if (version == null) {
            return true;
        }
        Matcher m = MAJOR_MINOR.matcher(version);
        if (!m.matches()) {
            return true;
        }
        int actualMajor = Integer.parseInt(m.group(1));
        int actualMinor = Integer.parseInt(m.group(2));
        return actualMajor > major || (actualMajor == major && actualMinor >= minor);
    }
}
