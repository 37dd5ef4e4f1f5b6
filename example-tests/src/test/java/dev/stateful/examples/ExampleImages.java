package dev.stateful.examples;

import java.util.Optional;

/**
 * Images of the upgrade examples. Defaults are official tags; CI points them at local builds
 * through environment variables.
 */
final class ExampleImages {
    private ExampleImages() {
    }

    /** An older major version than the default image. */
    static String previousMajor() {
        return env("STATEFUL_EXAMPLE_PREVIOUS_MAJOR_IMAGE", "postgres:15-bookworm");
    }

    /** The default image's major version. */
    static String currentMajor() {
        return env("STATEFUL_IMAGE", "postgres:17");
    }

    /** Another build of the current major version: a minor upgrade or a rebuilt image. */
    static String currentMajorRebuilt() {
        return env("STATEFUL_EXAMPLE_REBUILT_IMAGE", "postgres:17-bookworm");
    }

    private static String env(String name, String fallback) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank()).orElse(fallback);
    }
}
