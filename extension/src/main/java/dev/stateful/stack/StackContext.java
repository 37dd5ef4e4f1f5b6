package dev.stateful.stack;

import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import java.time.Duration;
import java.util.Map;

/** What the services of one stack share: the engine, the project's name, its network and its volumes' names. */
final class StackContext {
    /** The label naming the stack a container, volume or network belongs to. */
    static final String STACK_LABEL = "dev.stateful.stack";
    /** The label naming the service a container runs or the volume key a volume holds. */
    static final String PART_LABEL = "dev.stateful.stack.part";
    static final String BIND_ADDRESS = "127.0.0.1";

    final DockerEngine engine;
    final String project;
    final String network;
    final Map<String, String> volumeNames;
    final Duration readyTimeout;
    /**
     * An image present on the engine that has {@code find} (a Postgres image of the stack, or Stateful's):
     * helper containers empty a volume with it, so a service's own image needs no tools.
     */
    final String helperImage;

    StackContext(DockerEngine engine, String project, Map<String, String> volumeNames, Duration readyTimeout,
            String helperImage) {
        this.helperImage = helperImage;
        this.engine = engine;
        this.project = project;
        this.network = project;
        this.volumeNames = volumeNames;
        this.readyTimeout = readyTimeout;
    }

    /** Labels of a resource of this stack: Stateful's, swept when this process is gone. */
    Map<String, String> labels(String part) {
        Map<String, String> labels = Labels.forNewResource(true);
        labels.put(STACK_LABEL, project);
        labels.put(PART_LABEL, part);
        return labels;
    }
}
