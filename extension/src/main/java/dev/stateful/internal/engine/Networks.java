package dev.stateful.internal.engine;

import static dev.stateful.internal.engine.EngineMessages.shortId;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import dev.stateful.error.EngineException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Private bridge networks: create, attach and detach containers, list by label, remove. */
final class Networks {
    private static final Logger LOG = LoggerFactory.getLogger(Networks.class);
    private final EngineClients engine;

    Networks(EngineClients engine) {
        this.engine = engine;
    }

    String create(String name, Map<String, String> labels) {
        return engine.call("create network " + name, () -> engine.client.createNetworkCmd().withName(name)
                .withDriver("bridge").withLabels(labels).withCheckDuplicate(true).exec().getId());
    }

    void connect(String networkId, String containerId, String alias) {
        engine.call("connect container " + shortId(containerId) + " to network " + shortId(networkId), () -> {
            engine.client.connectToNetworkCmd().withNetworkId(networkId).withContainerId(containerId)
                    .withContainerNetwork(new ContainerNetwork().withAliases(alias))
                    .exec();
            return null;
        });
    }

    void disconnect(String networkId, String containerId) {
        try {
            engine.bounded("disconnect container " + shortId(containerId) + " from network " + shortId(networkId),
                    () -> engine.client.disconnectFromNetworkCmd().withNetworkId(networkId).withContainerId(containerId)
                            .withForce(true).exec());
        } catch (NotFoundException e) {
            LOG.debug("network {} or container {} already gone", networkId, containerId);
        } catch (DockerException e) {
            throw new EngineException("cannot disconnect container " + shortId(containerId) + " from network "
                    + shortId(networkId) + ": " + e.getMessage(), e);
        }
    }

    void remove(String networkId) {
        try {
            engine.bounded("remove network " + shortId(networkId), () -> engine.client.removeNetworkCmd(networkId).exec());
        } catch (NotFoundException e) {
            LOG.debug("network {} already gone", networkId);
        } catch (DockerException e) {
            throw new EngineException("cannot remove network " + shortId(networkId) + ": " + e.getMessage(), e);
        }
    }

    Map<String, Map<String, String>> labelled(String label, String value) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (Network n : engine.call("list networks",
                () -> engine.client.listNetworksCmd().withFilter("label", List.of(label + "=" + value)).exec())) {
            result.put(n.getName(), n.getLabels() == null ? Map.of() : n.getLabels());
        }
        return result;
    }
}
