package dev.stateful.internal.stack;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One service of a compose file, its variables interpolated.
 *
 * @param name the service's name
 * @param image the image reference
 * @param command the command as argv, empty to keep the image's
 * @param entrypoint the entrypoint as argv, empty to keep the image's
 * @param environment the variables, {@code env_file} first, then {@code environment} over them
 * @param volumes the mounts: named volumes and bind mounts (resolved against the compose file's folder)
 * @param ports the container ports to publish on 127.0.0.1
 * @param dependsOn the services to start first, with the condition to wait for
 * @param healthcheck the healthcheck, when the file sets one
 * @param tmpfs the tmpfs mounts, as {@code /path} or {@code /path:options}
 */
public record ComposeService(String name, String image, List<String> command, List<String> entrypoint,
        Map<String, String> environment, List<VolumeMount> volumes, List<PortMapping> ports, List<DependsOn> dependsOn,
        Optional<Healthcheck> healthcheck, List<String> tmpfs) {
    /** Copy the collections. */
    public ComposeService {
        command = List.copyOf(command);
        entrypoint = List.copyOf(entrypoint);
        environment = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(environment));
        volumes = List.copyOf(volumes);
        ports = List.copyOf(ports);
        dependsOn = List.copyOf(dependsOn);
        tmpfs = List.copyOf(tmpfs);
    }

    /**
     * A service's dependency.
     *
     * @param service the service depended on
     * @param condition {@code service_started}, {@code service_healthy} or {@code service_completed_successfully}
     */
    public record DependsOn(String service, String condition) {
    }
}
