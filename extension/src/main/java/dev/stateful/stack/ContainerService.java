package dev.stateful.stack;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.StartupException;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.engine.ContainerStatus;
import dev.stateful.internal.engine.ServiceSpec;
import dev.stateful.internal.stack.ComposeService;
import dev.stateful.internal.stack.Healthcheck;
import dev.stateful.internal.stack.PortMapping;
import dev.stateful.internal.stack.VolumeMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A service run as a plain container: Redis, an application, a file store. */
class ContainerService extends ServiceRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerService.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private String containerId;
    private String image;

    ContainerService(StackContext stack, ComposeService definition) {
        super(stack, definition);
        this.image = definition.image();
    }

    @Override
    public synchronized String containerId() {
        if (containerId == null) {
            throw new IllegalStateException(this + " is down; expected it up. Fix: call stack.up() first.");
        }
        return containerId;
    }

    /** The container ports to publish: the file's, and the ones Stateful reads the store through. */
    Set<Integer> ports() {
        Set<Integer> ports = new LinkedHashSet<>();
        for (PortMapping port : definition.ports()) {
            if (port.protocol().equals("tcp")) {
                ports.add(port.containerPort());
            }
        }
        return ports;
    }

    @Override
    synchronized void up() {
        if (containerId != null) {
            return;
        }
        List<String> env = new ArrayList<>();
        definition.environment().forEach((k, v) -> env.add(k + "=" + v));
        List<ServiceSpec.Mount> mounts = new ArrayList<>();
        for (VolumeMount mount : definition.volumes()) {
            String source = mount.named() ? stack.volumeNames.get(mount.source()) : mount.source();
            mounts.add(new ServiceSpec.Mount(source, mount.target(), mount.readOnly()));
        }
        Map<String, String> tmpfs = new LinkedHashMap<>();
        for (String entry : definition.tmpfs()) {
            int colon = entry.indexOf(':');
            tmpfs.put(colon < 0 ? entry : entry.substring(0, colon), colon < 0 ? "" : entry.substring(colon + 1));
        }
        ServiceSpec.Health health = definition.healthcheck().map(ContainerService::health).orElse(null);
        String name = stack.project + "-" + name() + "-" + VolumeNames.randomHex(2);
        containerId = stack.engine.createServiceContainer(new ServiceSpec(name, image, env, definition.entrypoint(),
                definition.command(), mounts, new ArrayList<>(ports()), StackContext.BIND_ADDRESS, stack.network, name(),
                stack.labels(name()), health, tmpfs));
        LOG.info("Stack {}: starting service '{}' ({})", stack.project, name(), image);
        stack.engine.start(containerId);
        awaitReady();
    }

    private static ServiceSpec.Health health(Healthcheck check) {
        return new ServiceSpec.Health(check.test(), check.interval().toNanos(), check.timeout().toNanos(),
                check.retries(), check.startPeriod().toNanos());
    }

    @Override
    synchronized void down() {
        if (containerId != null) {
            stack.engine.stop(containerId, STOP_TIMEOUT);
            stack.engine.removeContainer(containerId);
            containerId = null;
        }
    }

    @Override
    synchronized boolean isUp() {
        return containerId != null;
    }

    @Override
    public synchronized int port(int containerPort) {
        if (!ports().contains(containerPort)) {
            throw new InvalidArgumentException("port(" + containerPort + ") on service '" + name() + "': the service "
                    + "publishes no such port; expected one of " + ports() + ". Fix: add it under the service's "
                    + "'ports:' in the compose file.");
        }
        return stack.engine.mappedPort(containerId(), containerPort);
    }

    @Override
    public synchronized void stop() {
        stack.engine.stop(containerId(), STOP_TIMEOUT);
    }

    @Override
    public synchronized void start() {
        stack.engine.start(containerId());
        awaitReady();
    }

    @Override
    public synchronized void kill() {
        stack.engine.kill(containerId());
        start();
    }

    @Override
    public synchronized void recreate(String newImage) {
        down();
        image = newImage;
        up();
    }

    /** Running, healthy when the container has a healthcheck, and whatever the kind of service adds. */
    void awaitReady() {
        long deadline = System.nanoTime() + stack.readyTimeout.toNanos();
        while (true) {
            ContainerStatus status = stack.engine.status(containerId);
            String health = stack.engine.health(containerId);
            if (!status.running()) {
                throw notReady("exited with code " + status.exitCode());
            }
            if (health.equals("unhealthy")) {
                throw notReady("is unhealthy (its healthcheck failed " + "every retry)");
            }
            if ((health.equals("healthy") || health.equals("none")) && ready()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw notReady("was not ready within " + stack.readyTimeout.toSeconds() + " s (health: " + health + ")");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw notReady("was interrupted while waiting");
            }
        }
    }

    /** Whether the store answers, once the container runs and is healthy. */
    boolean ready() {
        return true;
    }

    private StartupException notReady(String what) {
        return new StartupException("Stack " + stack.project + ": service '" + name() + "' (image " + image + ") "
                + what + "; expected it running" + (definition.healthcheck().isPresent() ? " and healthy" : "")
                + ". Fix: read the log below; check the service's command and healthcheck in the compose file. "
                + "Last log lines:\n" + stack.engine.logTail(containerId, 30));
    }

    private final Map<VolumeMount, java.nio.file.Path> baseline = new LinkedHashMap<>();

    /** Each named volume's files spooled as a tar (Docker API, streamed to a temporary file). */
    @Override
    synchronized void takeBaseline() {
        dropBaseline();
        for (VolumeMount mount : definition.volumes()) {
            if (mount.named() && !mount.readOnly()) {
                baseline.put(mount, VolumeFiles.spool(stack.engine, containerId(), mount.target()));
            }
        }
    }

    /**
     * Empty each named volume (a helper container of {@link StackContext#helperImage} on the volume, so the
     * service's image needs no tools), then extract its baseline copy into the running container.
     */
    @Override
    synchronized void resetToBaseline() {
        baseline.forEach((mount, tar) -> VolumeFiles.restore(stack.engine, stack.helperImage, containerId(), name(),
                stack.volumeNames.get(mount.source()), mount.target(), tar));
    }

    @Override
    synchronized void dropBaseline() {
        baseline.values().forEach(VolumeFiles::delete);
        baseline.clear();
    }

    @Override
    synchronized Object fingerprint() {
        TreeMap<String, String> files = new TreeMap<>();
        for (VolumeMount mount : definition.volumes()) {
            if (mount.named()) {
                VolumeFiles.read(stack.engine, containerId(), mount.source(), mount.target(), files);
            }
        }
        return files;
    }
}
