package dev.stateful.internal.engine;

import static dev.stateful.internal.engine.EngineMessages.shortId;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import java.util.ArrayList;
import java.util.List;

/** Containers of compose services: any image, several mounts, a network alias, a healthcheck. */
final class ServiceContainers {
    private final EngineClients engine;

    ServiceContainers(EngineClients engine) {
        this.engine = engine;
    }

    String create(ServiceSpec spec) {
        List<Bind> binds = new ArrayList<>();
        for (ServiceSpec.Mount mount : spec.mounts()) {
            binds.add(new Bind(mount.source(), new Volume(mount.target()), mount.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        List<ExposedPort> exposed = new ArrayList<>();
        List<PortBinding> bindings = new ArrayList<>();
        for (int port : spec.tcpPorts()) {
            ExposedPort p = ExposedPort.tcp(port);
            exposed.add(p);
            bindings.add(new PortBinding(Ports.Binding.bindIp(spec.bindAddress()), p));
        }
        HostConfig host = HostConfig.newHostConfig().withBinds(binds).withPortBindings(bindings)
                .withNetworkMode(spec.network());
        if (!spec.tmpfs().isEmpty()) {
            host = host.withTmpFs(spec.tmpfs());
        }
        HostConfig hostConfig = host;
        return engine.call("create container " + spec.name(), () -> {
            CreateContainerCmd cmd = engine.calls.createContainerCmd(spec.image()).withName(spec.name())
                    .withEnv(spec.env()).withExposedPorts(exposed).withLabels(spec.labels()).withHostConfig(hostConfig)
                    .withAliases(spec.alias());
            if (!spec.entrypoint().isEmpty()) {
                cmd = cmd.withEntrypoint(spec.entrypoint());
            }
            if (!spec.command().isEmpty()) {
                cmd = cmd.withCmd(spec.command());
            }
            if (spec.healthcheck() != null) {
                ServiceSpec.Health h = spec.healthcheck();
                cmd = cmd.withHealthcheck(new HealthCheck().withTest(h.test()).withInterval(h.intervalNanos())
                        .withTimeout(h.timeoutNanos()).withRetries(h.retries()).withStartPeriod(h.startPeriodNanos()));
            }
            return cmd.exec().getId();
        });
    }

    String health(String containerId) {
        try {
            HealthState state = engine.bounded("inspect container " + shortId(containerId),
                    () -> engine.calls.inspectContainerCmd(containerId).exec().getState().getHealth());
            return state == null || state.getStatus() == null ? "none" : state.getStatus();
        } catch (NotFoundException e) {
            return "gone";
        }
    }
}
