package dev.stateful.internal.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compose file as Stateful runs it: its services in {@code depends_on} order (a service after
 * every service it depends on, otherwise in file order) and its declared named volumes.
 *
 * @param file the compose file
 * @param services the services by name, in start order
 * @param volumes the top-level named volumes by key, in file order
 */
public record ComposeProject(Path file, Map<String, ComposeService> services, Map<String, ComposeVolume> volumes) {
    /** Copy the maps, keeping their order. */
    public ComposeProject {
        services = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
        volumes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(volumes));
    }

    /**
     * The named services and everything they depend on, as {@code docker compose up a b} starts them.
     *
     * @param names the services asked for; none means every service
     * @return the project restricted to them (and the volumes they mount), in start order
     * @throws dev.stateful.error.ComposeFileException naming the file when a name is not a service of it
     */
    public ComposeProject select(List<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        Set<String> wanted = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>();
        for (String name : names) {
            if (!services.containsKey(name)) {
                throw ComposeErrors.refuse(file, null, "services", "service '" + name + "' was asked for, but the file "
                        + "has no such service; expected one of " + services.keySet() + ".",
                        "name one of its services, or add '" + name + "' to the file.");
            }
            queue.add(name);
        }
        while (!queue.isEmpty()) {
            String name = queue.remove(queue.size() - 1);
            if (wanted.add(name)) {
                services.get(name).dependsOn().forEach(d -> queue.add(d.service()));
            }
        }
        Map<String, ComposeService> kept = new LinkedHashMap<>();
        Set<String> mounted = new LinkedHashSet<>();
        services.forEach((name, service) -> {
            if (wanted.contains(name)) {
                kept.put(name, service);
                service.volumes().stream().filter(VolumeMount::named).forEach(m -> mounted.add(m.source()));
            }
        });
        Map<String, ComposeVolume> keptVolumes = new LinkedHashMap<>();
        volumes.forEach((key, volume) -> {
            if (mounted.contains(key)) {
                keptVolumes.put(key, volume);
            }
        });
        return new ComposeProject(file, kept, keptVolumes);
    }
}
