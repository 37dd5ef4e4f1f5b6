package dev.stateful.internal.engine;

import static dev.stateful.internal.engine.EngineMessages.shortId;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import dev.stateful.error.EngineException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lifecycle of long-lived containers: create, start, stop, kill, remove, inspect, logs, lists. */
final class Containers {
    private static final Logger LOG = LoggerFactory.getLogger(Containers.class);
    private final EngineClients engine;
    private final Archives archives;

    Containers(EngineClients engine, Archives archives) {
        this.engine = engine;
        this.archives = archives;
    }

    String create(ContainerSpec spec) {
        ExposedPort port = ExposedPort.tcp(spec.containerPort());
        HostConfig hostConfig = HostConfig.newHostConfig()
                .withBinds(new Bind(spec.volumeName(), new Volume(spec.mountPath())))
                .withPortBindings(new PortBinding(Ports.Binding.bindIp(spec.bindAddress()), port));
        String id = engine.call("create container " + spec.name(), () -> {
            CreateContainerCmd cmd = engine.calls.createContainerCmd(spec.image())
                    .withName(spec.name())
                    .withEnv(spec.env())
                    .withCmd(spec.command())
                    .withExposedPorts(port)
                    .withLabels(spec.labels())
                    .withHostConfig(hostConfig);
            return cmd.exec().getId();
        });
        if (!spec.files().isEmpty()) {
            archives.copyTo(id, new ByteArrayInputStream(TarArchives.of(spec.files())), "/");
        }
        return id;
    }

    void start(String containerId) {
        try {
            engine.bounded("start container " + shortId(containerId),
                    () -> engine.calls.startContainerCmd(containerId).exec());
        } catch (NotModifiedException e) {
            LOG.debug("container {} already running", containerId);
        } catch (DockerException e) {
            throw new EngineException("cannot start container " + shortId(containerId) + ": " + e.getMessage(), e);
        }
    }

    void stop(String containerId, Duration timeout) {
        try {
            DeadlineCalls.bounded("stop container " + shortId(containerId), timeout.plus(engine.engineTimeout),
                    () -> engine.client.stopContainerCmd(containerId).withTimeout((int) timeout.toSeconds()).exec());
        } catch (NotModifiedException e) {
            LOG.debug("container {} already stopped", containerId);
        } catch (DockerException e) {
            throw new EngineException("cannot stop container " + shortId(containerId) + ": " + e.getMessage(), e);
        }
    }

    void kill(String containerId) {
        DeadlineCalls.call("kill container " + shortId(containerId), Duration.ofSeconds(30).plus(engine.engineTimeout),
                () -> {
                    engine.client.killContainerCmd(containerId).withSignal("SIGKILL").exec();
                    try (var waiting = engine.client.waitContainerCmd(containerId).start()) {
                        waiting.awaitStatusCode(30, TimeUnit.SECONDS);
                    }
                    return null;
                });
    }

    void remove(String containerId) {
        try {
            engine.bounded("remove container " + shortId(containerId),
                    () -> engine.calls.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec());
        } catch (NotFoundException e) {
            LOG.debug("container {} already gone", containerId);
        } catch (DockerException e) {
            throw new EngineException("cannot remove container " + shortId(containerId) + ": " + e.getMessage(), e);
        }
    }

    ContainerStatus status(String containerId) {
        try {
            InspectContainerResponse.ContainerState state = engine.bounded("inspect container " + shortId(containerId),
                    () -> engine.calls.inspectContainerCmd(containerId).exec().getState());
            Long exit = state.getExitCodeLong();
            String finished = state.getFinishedAt();
            return new ContainerStatus(true, Boolean.TRUE.equals(state.getRunning()),
                    exit == null ? 0 : exit.intValue(), Boolean.TRUE.equals(state.getOOMKilled()),
                    state.getStatus() == null ? "unknown" : state.getStatus(),
                    finished == null || finished.startsWith("0001-") ? "" : finished);
        } catch (NotFoundException e) {
            return new ContainerStatus(false, false, -1, false, "removed", "");
        }
    }

    int mappedPort(String containerId, int containerPort) {
        Ports.Binding[] bindings = engine.bounded("inspect container " + shortId(containerId),
                () -> engine.calls.inspectContainerCmd(containerId).exec())
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null || bindings.length == 0) {
            throw new EngineException("container " + shortId(containerId) + " publishes no host port for "
                    + containerPort + "/tcp; is it running?");
        }
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    java.net.InetSocketAddress reachableAddress(String containerId, int containerPort, String hostAddress) {
        var settings = engine.bounded("inspect container " + shortId(containerId),
                () -> engine.calls.inspectContainerCmd(containerId).exec()).getNetworkSettings();
        Ports.Binding[] bindings = settings.getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings != null && bindings.length > 0 && bindings[0].getHostPortSpec() != null
                && !bindings[0].getHostPortSpec().isEmpty()) {
            return java.net.InetSocketAddress.createUnresolved(hostAddress, Integer.parseInt(bindings[0].getHostPortSpec()));
        }
        for (var network : settings.getNetworks().values()) {
            if (network.getIpAddress() != null && !network.getIpAddress().isEmpty()) {
                return java.net.InetSocketAddress.createUnresolved(network.getIpAddress(), containerPort);
            }
        }
        throw new EngineException("container " + shortId(containerId) + " publishes no host port for " + containerPort
                + "/tcp and has no address on a network; is it running?");
    }

    String logTail(String containerId, int lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var reading = engine.client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        synchronized (out) {
                            out.writeBytes(frame.getPayload());
                        }
                    }
                })) {
            reading.awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            return "(log of " + shortId(containerId) + " unavailable: " + e.getMessage() + ")";
        }
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8).stripTrailing();
        }
    }

    Map<String, Map<String, String>> labelled(String label, String value) {
        List<Container> containers = engine.bounded("list containers", () -> engine.calls.listContainersCmd()
                .withShowAll(true).withLabelFilter(Map.of(label, value)).exec());
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (Container c : containers) {
            result.put(c.getId(), c.getLabels() == null ? Map.of() : c.getLabels());
        }
        return result;
    }

    Map<String, Map<String, String>> runningOn(String volume) {
        List<Container> containers = engine.call("list the containers on volume " + volume,
                () -> engine.calls.listContainersCmd().withVolumeFilter(List.of(volume)).exec());
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (Container c : containers) {
            String name = c.getNames() == null || c.getNames().length == 0 ? shortId(c.getId())
                    : c.getNames()[0].replaceFirst("^/", "");
            result.put(name, c.getLabels() == null ? Map.of() : c.getLabels());
        }
        return result;
    }
}
