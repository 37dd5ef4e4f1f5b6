package dev.stateful.internal.engine;

import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.stateful.error.EngineException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Named volumes: create, inspect, list by label, remove. */
final class Volumes {
    private static final Logger LOG = LoggerFactory.getLogger(Volumes.class);
    private final EngineClients engine;

    Volumes(EngineClients engine) {
        this.engine = engine;
    }

    Optional<Map<String, String>> labels(String name) {
        try {
            InspectVolumeResponse volume = engine.bounded("inspect volume " + name,
                    () -> engine.calls.inspectVolumeCmd(name).exec());
            return Optional.of(volume.getLabels() == null ? Map.of() : volume.getLabels());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    void create(String name, Map<String, String> labels, Map<String, String> driverOpts) {
        engine.call("create volume " + name, () -> {
            var cmd = engine.calls.createVolumeCmd().withName(name).withLabels(labels);
            if (!driverOpts.isEmpty()) {
                cmd = cmd.withDriver("local").withDriverOpts(driverOpts);
            }
            return cmd.exec();
        });
    }

    void remove(String name) {
        try {
            engine.bounded("remove volume " + name, () -> engine.calls.removeVolumeCmd(name).exec());
        } catch (NotFoundException e) {
            LOG.debug("volume {} already gone", name);
        } catch (DockerException e) {
            throw new EngineException("cannot remove volume '" + name + "': " + e.getMessage(), e);
        }
    }

    Map<String, Map<String, String>> labelled(String label, String value) {
        List<InspectVolumeResponse> volumes = engine.bounded("list volumes", () -> engine.calls.listVolumesCmd()
                .withFilter("label", List.of(value == null ? label : label + "=" + value)).exec().getVolumes());
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        if (volumes != null) {
            for (InspectVolumeResponse v : volumes) {
                result.put(v.getName(), v.getLabels() == null ? Map.of() : v.getLabels());
            }
        }
        return result;
    }
}
