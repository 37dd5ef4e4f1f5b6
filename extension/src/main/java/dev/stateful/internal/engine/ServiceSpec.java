package dev.stateful.internal.engine;

import java.util.List;
import java.util.Map;

/**
 * Describe a compose service's container to create: any image, several mounts, ports published on
 * the bind address, a private network with the service's name as alias, an optional healthcheck.
 *
 * @param name container name
 * @param image image reference
 * @param env environment as {@code KEY=value} entries
 * @param entrypoint the entrypoint, empty to keep the image's
 * @param command the command, empty to keep the image's
 * @param mounts the mounts
 * @param tcpPorts container ports (tcp) to publish on random host ports
 * @param bindAddress the host address ports are published on
 * @param network the network to join
 * @param alias the name other containers reach this one by
 * @param labels labels of the container
 * @param healthcheck the healthcheck, or null to keep the image's
 * @param tmpfs tmpfs mounts: path to options (may be empty)
 */
public record ServiceSpec(String name, String image, List<String> env, List<String> entrypoint, List<String> command,
        List<Mount> mounts, List<Integer> tcpPorts, String bindAddress, String network, String alias,
        Map<String, String> labels, Health healthcheck, Map<String, String> tmpfs) {

    /**
     * A mount.
     *
     * @param source a volume name or an absolute host path
     * @param target the path in the container
     * @param readOnly mounted read-only
     */
    public record Mount(String source, String target, boolean readOnly) {
    }

    /**
     * A healthcheck as Docker takes it.
     *
     * @param test {@code CMD}/{@code CMD-SHELL}/{@code NONE} and the command
     * @param intervalNanos time between checks
     * @param timeoutNanos time one check may take
     * @param retries failures before unhealthy
     * @param startPeriodNanos grace period at start
     */
    public record Health(List<String> test, long intervalNanos, long timeoutNanos, int retries, long startPeriodNanos) {
    }
}
