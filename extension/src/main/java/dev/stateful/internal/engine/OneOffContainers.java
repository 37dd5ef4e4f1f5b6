package dev.stateful.internal.engine;

import static dev.stateful.internal.engine.EngineMessages.shortId;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Containers run once to completion and removed in every case: volume-copy helpers and migrator images. */
final class OneOffContainers {
    private static final Logger LOG = LoggerFactory.getLogger(OneOffContainers.class);
    private final EngineClients engine;
    private final Containers containers;

    OneOffContainers(EngineClients engine, Containers containers) {
        this.engine = engine;
        this.containers = containers;
    }

    ExecResult runToCompletion(String image, List<String> entrypoint, Map<String, String> mounts,
                               Map<String, String> labels, Duration timeout) {
        List<Bind> binds = new ArrayList<>();
        mounts.forEach((volume, path) -> binds.add(new Bind(volume, new Volume(path))));
        String id = engine.call("create helper container", () -> engine.calls.createContainerCmd(image)
                .withEntrypoint(entrypoint)
                .withCmd(List.of())
                .withLabels(labels)
                .withHostConfig(HostConfig.newHostConfig().withBinds(binds))
                .exec().getId());
        try {
            containers.start(id);
            Integer code = DeadlineCalls.call("wait for helper container", timeout.plus(engine.engineTimeout), () -> {
                try (var waiting = engine.client.waitContainerCmd(id).start()) {
                    return waiting.awaitStatusCode(timeout.toSeconds(), TimeUnit.SECONDS);
                }
            });
            String log = code == 0 ? "" : containers.logTail(id, 20);
            return new ExecResult(code, new byte[0], log.getBytes(StandardCharsets.UTF_8));
        } finally {
            containers.remove(id);
        }
    }

    String createIdle(String image, Map<String, String> mounts, Map<String, String> labels) {
        List<Bind> binds = new ArrayList<>();
        mounts.forEach((volume, path) -> binds.add(new Bind(volume, new Volume(path))));
        return engine.call("create helper container", () -> engine.calls.createContainerCmd(image)
                .withEntrypoint(List.of("sleep", "infinity"))
                .withCmd(List.of())
                .withLabels(labels)
                .withHostConfig(HostConfig.newHostConfig().withBinds(binds))
                .exec().getId());
    }

    OneOffResult runOnNetwork(String image, List<String> argv, List<String> env, String network,
                              Map<String, String> labels, Duration timeout, int tailLines) {
        String id = engine.call("create container of image " + image, () -> {
            CreateContainerCmd cmd = engine.calls.createContainerCmd(image).withEnv(env).withLabels(labels)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network));
            if (!argv.isEmpty()) {
                cmd.withCmd(argv);
            }
            return cmd.exec().getId();
        });
        try {
            containers.start(id);
            Integer code = DeadlineCalls.call("wait for container " + shortId(id), timeout.plus(engine.engineTimeout), () -> {
                try (var waiting = engine.client.waitContainerCmd(id).start()) {
                    return waiting.awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (DockerClientException e) {
                    if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")) {
                        return null; // "Awaiting status code timeout."
                    }
                    throw e;
                }
            });
            boolean timedOut = code == null;
            if (timedOut) {
                LOG.warn("container {} of image {} ran past its deadline of {} s: killing it", shortId(id), image,
                        timeout.toSeconds());
                containers.kill(id); // a shell as PID 1 ignores SIGTERM: no grace period
                code = -1;
            }
            return new OneOffResult(code, timedOut, containers.logTail(id, tailLines));
        } finally {
            containers.remove(id);
        }
    }
}
