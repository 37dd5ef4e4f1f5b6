package dev.stateful.junit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit Jupiter version the tests run on. Stateful keeps its containers in the extension
 * store as {@link AutoCloseable} values, which JUnit closes only from 5.13 on: on an older JUnit
 * every container would stay until the JVM exits.
 */
final class JUnitVersion {
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+).*");

    private JUnitVersion() {
    }

    /** Fail on a JUnit older than 5.13; a JUnit whose jar does not say its version passes. */
    static void requireSupported(String where) {
        String version = ExtensionContext.class.getPackage().getImplementationVersion();
        if (!supported(version)) {
            throw new ExtensionConfigurationException("@WithVolume on " + where + ": JUnit Jupiter " + version
                    + " is too old; expected 5.13 or later (5.14+ or 6.x supported), because older versions do not "
                    + "close the containers Stateful keeps in the extension store. Fix: set junit-jupiter.version "
                    + "to 5.14.4 (with Spring Boot 3.5's parent) or import junit-bom 5.14.4 or 6.1.3 first.");
        }
    }

    static boolean supported(String version) {
        if (version == null) {
            return true;
        }
        Matcher m = MAJOR_MINOR.matcher(version);
        if (!m.matches()) {
            return true;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 5 || (major == 5 && minor >= 13);
    }
}
