package dev.stateful.stack;

import dev.stateful.error.InvalidArgumentException;
import java.nio.file.Path;

/**
 * SnakeYAML (to read a compose file) and Jedis (to read and reset a Redis service) are optional
 * dependencies of Stateful: a project that uses stacks brings them. Checked before anything is created.
 */
final class StackDependencies {
    /** The SnakeYAML version Stateful is tested with. */
    static final String SNAKEYAML_VERSION = "2.5";
    /** The Jedis version Stateful is tested with. */
    static final String JEDIS_VERSION = "5.2.0";

    private StackDependencies() {
    }

    static void requireYaml(Path composeFile) {
        if (!present("org.yaml.snakeyaml.Yaml")) {
            throw new InvalidArgumentException("compose file '" + composeFile + "' needs org.yaml:snakeyaml on the test "
                    + "classpath to be read, and it is not there; expected SnakeYAML 2.x. Fix: add the test dependency "
                    + "org.yaml:snakeyaml:" + SNAKEYAML_VERSION + " (Maven: <scope>test</scope>; Gradle: testImplementation).");
        }
    }

    static void requireJedis(Path composeFile, String service) {
        if (!present("redis.clients.jedis.Jedis")) {
            throw new InvalidArgumentException("compose file '" + composeFile + "', service '" + service + "' runs Redis, "
                    + "which needs redis.clients:jedis on the test classpath (its keys are read and reset with it), and "
                    + "it is not there; expected Jedis 5.x. Fix: add the test dependency redis.clients:jedis:"
                    + JEDIS_VERSION + " (Maven: <scope>test</scope>; Gradle: testImplementation).");
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, StackDependencies.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
