package dev.stateful.junit;

/**
 * Classes whose {@code @WithVolume} {@link SharedServerDecisionTest} reads: never run, so they
 * live outside the test class (the docker-tag scan counts annotated classes in test files).
 */
final class SharedServerSamples {
    private SharedServerSamples() {
    }

    @WithVolume
    static class Plain {
    }

    @WithVolume(name = "orders-db")
    static class Named {
    }

    @WithVolume(durable = true)
    static class Durable {
    }

    @WithVolume(image = "postgres:15-bookworm")
    static class Image {
    }

    @WithVolume(database = "orders")
    static class Database {
    }

    @WithVolume(username = "app")
    static class Username {
    }
}
