package dev.stateful.junit;

import dev.stateful.stack.StatefulStack;
import org.junit.jupiter.api.Test;

/** The class {@link NoStackDependenciesTest} runs in a JVM without SnakeYAML or Jedis. */
final class NoStackDependenciesSamples {
    private NoStackDependenciesSamples() {
    }

    /** A stack with Postgres, Redis and a file store. */
    @WithStack(compose = "src/test/resources/stack/docker-compose.yml")
    static class StackClass {
        @Test
        void never(StatefulStack stack) {
            System.out.println("STARTED " + stack.project());
        }
    }
}
