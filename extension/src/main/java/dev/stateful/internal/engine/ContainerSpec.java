package dev.stateful.internal.engine;

import java.util.List;
import java.util.Map;

/**
 * Describe a container to create: a Postgres server with one named volume mounted at its
 * data directory and one port published on the loopback interface.
 *
 * @param name container name
 * @param image image reference
 * @param env environment as {@code KEY=value} entries
 * @param command command (argv) passed to the image's entrypoint
 * @param volumeName named volume to mount
 * @param mountPath where to mount it (the image's {@code PGDATA})
 * @param containerPort the port to publish on a random host port
 * @param bindAddress the host address the port is published on (127.0.0.1 unless configured)
 * @param labels labels of the container
 * @param files files to copy into the container before it starts, by absolute path
 */
public record ContainerSpec(
        String name,
        String image,
        List<String> env,
        List<String> command,
        String volumeName,
        String mountPath,
        int containerPort,
        String bindAddress,
        Map<String, String> labels,
        Map<String, byte[]> files) {
}
