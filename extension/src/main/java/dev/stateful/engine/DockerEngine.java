package dev.stateful.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
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
import dev.stateful.EngineException;
import dev.stateful.EngineUnavailableException;
import dev.stateful.ImageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * Talk to the Docker engine: the one place in Stateful that uses docker-java.
 *
 * <p>Containers, volumes, exec with streams, archive copies, logs and the sweep of what
 * earlier runs left behind all go through this class. Every call is an API call with
 * argv arrays; no {@code docker} CLI and no shell strings. The client comes from
 * Testcontainers, so {@code DOCKER_HOST}, Docker contexts and
 * {@code ~/.testcontainers.properties} are honoured and a remote engine works.
 */
public final class DockerEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);
    private static final Object LOCK = new Object();
    private static DockerEngine instance;

    private final DockerClient client;
    private final String hostAddress;

    private DockerEngine(DockerClient client, String hostAddress) {
        this.client = client;
        this.hostAddress = hostAddress;
    }

    /**
     * Return the engine of this JVM, connecting (and sweeping leftovers of dead runs) on
     * first use.
     *
     * @return the engine
     * @throws EngineUnavailableException when no Docker engine answers
     */
    public static DockerEngine get() {
        synchronized (LOCK) {
            if (instance == null) {
                java.time.Duration foreignAge = dev.stateful.StatefulSettings.sweepForeignAge();
                instance = connect();
                new Sweeper(instance, foreignAge).sweep();
            }
            return instance;
        }
    }

    private static DockerEngine connect() {
        String dockerHost = System.getenv("DOCKER_HOST");
        DockerClientFactory factory;
        DockerClient client;
        URI used;
        try {
            factory = DockerClientFactory.instance();
            client = factory.client();
            used = factory.getTransportConfig().getDockerHost();
        } catch (RuntimeException e) {
            throw new EngineUnavailableException(EngineMessages.unavailable(dockerHost, e), e);
        }
        // Testcontainers falls back to the local socket when DOCKER_HOST does not answer. Named
        // volumes and their data live on one engine, so Stateful does not silently use another.
        boolean tcHost = TestcontainersConfiguration.getInstance().getUserProperty("tc.host", null) != null;
        if (ignoresDockerHost(dockerHost, used, tcHost)) {
            throw new EngineUnavailableException(EngineMessages.dockerHostIgnored(dockerHost, used));
        }
        try {
            return new DockerEngine(client, factory.dockerHostIpAddress());
        } catch (RuntimeException e) {
            throw new EngineUnavailableException(EngineMessages.unavailable(dockerHost, e), e);
        }
    }

    /**
     * Tell whether Testcontainers connected to another engine than the one DOCKER_HOST names.
     *
     * @param dockerHost the DOCKER_HOST variable, or null
     * @param used the engine Testcontainers connected to
     * @param tcHostConfigured whether {@code tc.host} is configured (it takes precedence over DOCKER_HOST)
     * @return {@code true} when DOCKER_HOST was set, not overridden, and not used
     */
    static boolean ignoresDockerHost(String dockerHost, URI used, boolean tcHostConfigured) {
        if (dockerHost == null || dockerHost.isBlank() || tcHostConfigured || used == null) {
            return false;
        }
        URI wanted;
        try {
            wanted = URI.create(dockerHost.strip());
        } catch (IllegalArgumentException e) {
            return false; // Testcontainers reports a malformed DOCKER_HOST itself
        }
        return !endpoint(wanted).equals(endpoint(used));
    }

    private static String endpoint(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("unix") || scheme.equals("npipe")) {
            return scheme + ":" + uri.getPath().replaceAll("/+$", "");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        return "tcp:" + host + ":" + uri.getPort();
    }

    /**
     * Return the address at which published container ports are reached from this JVM.
     *
     * @return a host name or IP address
     */
    public String hostAddress() {
        return hostAddress;
    }

    // ---------------------------------------------------------------- images

    /**
     * Make sure an image is present, pulling it when missing, and return its configuration.
     *
     * @param reference image reference such as {@code postgres:17}
     * @return the image's id and environment
     * @throws ImageException when it is neither present nor pullable
     */
    public ImageInfo image(String reference) {
        Optional<InspectImageResponse> local = inspectImage(reference);
        if (local.isEmpty()) {
            pull(reference);
            local = inspectImage(reference);
        }
        InspectImageResponse image = local.orElseThrow(() -> new ImageException(
                "image '" + reference + "' was pulled but cannot be inspected"));
        String[] env = image.getConfig() == null ? null : image.getConfig().getEnv();
        return new ImageInfo(reference, image.getId(), env == null ? List.of() : Arrays.asList(env));
    }

    private Optional<InspectImageResponse> inspectImage(String reference) {
        try {
            return Optional.of(client.inspectImageCmd(reference).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private void pull(String reference) {
        DockerImageName name;
        try {
            name = DockerImageName.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new ImageException(EngineMessages.imageMissing(reference, e.getMessage()), e);
        }
        LOG.info("Pulling image {}", reference);
        try {
            boolean done = client.pullImageCmd(name.getUnversionedPart())
                    .withTag(name.getVersionPart())
                    .start()
                    .awaitCompletion(5, TimeUnit.MINUTES);
            if (!done) {
                throw new ImageException(EngineMessages.imageMissing(reference, "pull did not finish within 5 minutes"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(EngineMessages.imageMissing(reference, "interrupted"), e);
        } catch (RuntimeException e) {
            throw new ImageException(EngineMessages.imageMissing(reference, e.getMessage()), e);
        }
    }

    // ---------------------------------------------------------------- volumes

    /**
     * Tell whether a volume exists.
     *
     * @param name volume name
     * @return {@code true} when it exists
     */
    public boolean volumeExists(String name) {
        return volumeLabels(name).isPresent();
    }

    /**
     * Return the labels of a volume.
     *
     * @param name volume name
     * @return its labels, or empty when it does not exist
     */
    public Optional<Map<String, String>> volumeLabels(String name) {
        try {
            InspectVolumeResponse volume = client.inspectVolumeCmd(name).exec();
            return Optional.of(volume.getLabels() == null ? Map.of() : volume.getLabels());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Create a named volume.
     *
     * @param name volume name
     * @param labels its labels
     */
    public void createVolume(String name, Map<String, String> labels) {
        createVolume(name, labels, Map.of());
    }

    /**
     * Create a named volume of the {@code local} driver with driver options, for example a
     * size-limited tmpfs volume: {@code type=tmpfs, device=tmpfs, o=size=64m}.
     *
     * @param name volume name
     * @param labels its labels
     * @param driverOpts options of the local driver; empty for a plain volume
     */
    public void createVolume(String name, Map<String, String> labels, Map<String, String> driverOpts) {
        call("create volume " + name, () -> {
            var cmd = client.createVolumeCmd().withName(name).withLabels(labels);
            if (!driverOpts.isEmpty()) {
                cmd = cmd.withDriver("local").withDriverOpts(driverOpts);
            }
            return cmd.exec();
        });
    }

    /**
     * Remove a named volume; a missing one is not an error.
     *
     * @param name volume name
     */
    public void removeVolume(String name) {
        try {
            client.removeVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            LOG.debug("volume {} already gone", name);
        } catch (DockerException e) {
            throw new EngineException("cannot remove volume '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * List the names of volumes that carry a label with a value.
     *
     * @param label label name
     * @param value label value, or {@code null} for any value
     * @return volume names with their labels
     */
    public Map<String, Map<String, String>> volumesLabelled(String label, String value) {
        List<InspectVolumeResponse> volumes = client.listVolumesCmd()
                .withFilter("label", List.of(value == null ? label : label + "=" + value)).exec().getVolumes();
        Map<String, Map<String, String>> result = new java.util.LinkedHashMap<>();
        if (volumes != null) {
            for (InspectVolumeResponse v : volumes) {
                result.put(v.getName(), v.getLabels() == null ? Map.of() : v.getLabels());
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- containers

    /**
     * Create (not start) a container.
     *
     * @param spec what to create
     * @return the container id
     */
    public String createContainer(ContainerSpec spec) {
        ExposedPort port = ExposedPort.tcp(spec.containerPort());
        HostConfig hostConfig = HostConfig.newHostConfig()
                .withBinds(new Bind(spec.volumeName(), new Volume(spec.mountPath())))
                .withPortBindings(new PortBinding(Ports.Binding.bindIp(dev.stateful.StatefulSettings.bindAddress()), port));
        String id = call("create container " + spec.name(), () -> {
            CreateContainerCmd cmd = client.createContainerCmd(spec.image())
                    .withName(spec.name())
                    .withEnv(spec.env())
                    .withCmd(spec.command())
                    .withExposedPorts(port)
                    .withLabels(spec.labels())
                    .withHostConfig(hostConfig);
            return cmd.exec().getId();
        });
        if (!spec.files().isEmpty()) {
            copyFiles(id, spec.files());
        }
        return id;
    }

    private void copyFiles(String containerId, Map<String, byte[]> files) {
        copyToContainer(containerId, new java.io.ByteArrayInputStream(TarArchives.of(files)), "/");
    }

    /**
     * Extract a tar stream into a container (running or not), streamed: memory use does not
     * depend on the archive's size.
     *
     * @param containerId the container
     * @param tar the archive
     * @param remotePath the directory to extract into
     */
    public void copyToContainer(String containerId, InputStream tar, String remotePath) {
        call("copy files into " + shortId(containerId), () -> {
            client.copyArchiveToContainerCmd(containerId)
                    .withRemotePath(remotePath)
                    .withTarInputStream(tar)
                    .exec();
            return null;
        });
    }

    /**
     * Run a short-lived helper container to completion and remove it: for volume copies.
     *
     * @param image the image to run
     * @param entrypoint the command, one argument per element (the image's entrypoint is replaced)
     * @param mounts volume name to mount path
     * @param labels labels of the helper
     * @param timeout how long it may run
     * @return the exit code, and the helper's log as stderr
     */
    public ExecResult runToCompletion(String image, List<String> entrypoint, Map<String, String> mounts,
                                      Map<String, String> labels, Duration timeout) {
        List<Bind> binds = new java.util.ArrayList<>();
        mounts.forEach((volume, path) -> binds.add(new Bind(volume, new Volume(path))));
        String id = call("create helper container", () -> client.createContainerCmd(image)
                .withEntrypoint(entrypoint)
                .withCmd(List.of())
                .withLabels(labels)
                .withHostConfig(HostConfig.newHostConfig().withBinds(binds))
                .exec().getId());
        try {
            start(id);
            Integer code = call("wait for helper container", () -> client.waitContainerCmd(id).start()
                    .awaitStatusCode(timeout.toSeconds(), TimeUnit.SECONDS));
            String log = code == 0 ? "" : logTail(id, 20);
            return new ExecResult(code, new byte[0], log.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            removeContainer(id);
        }
    }

    /**
     * Stream a path of a container (running or not) out as a tar archive, as {@code docker cp}.
     *
     * @param containerId the container
     * @param path the file or directory inside it
     * @param tar where the archive goes
     */
    public void copyFromContainer(String containerId, String path, OutputStream tar) {
        call("copy " + path + " out of " + shortId(containerId), () -> {
            try (InputStream in = client.copyArchiveFromContainerCmd(containerId, path).exec()) {
                in.transferTo(tar);
            }
            return null;
        });
    }

    /**
     * Start a container; an already running one is left as it is.
     *
     * @param containerId the container
     */
    public void start(String containerId) {
        try {
            client.startContainerCmd(containerId).exec();
        } catch (NotModifiedException e) {
            LOG.debug("container {} already running", containerId);
        } catch (DockerException e) {
            throw new EngineException("cannot start container " + shortId(containerId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stop a container gracefully (the image's stop signal, then SIGKILL after the timeout).
     *
     * @param containerId the container
     * @param timeout how long the server may take to shut down
     */
    public void stop(String containerId, Duration timeout) {
        try {
            client.stopContainerCmd(containerId).withTimeout((int) timeout.toSeconds()).exec();
        } catch (NotModifiedException e) {
            LOG.debug("container {} already stopped", containerId);
        } catch (DockerException e) {
            throw new EngineException("cannot stop container " + shortId(containerId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Send SIGKILL to a container's main process and wait until it has exited.
     *
     * @param containerId the container
     */
    public void kill(String containerId) {
        call("kill container " + shortId(containerId), () -> {
            client.killContainerCmd(containerId).withSignal("SIGKILL").exec();
            client.waitContainerCmd(containerId).start().awaitStatusCode(30, TimeUnit.SECONDS);
            return null;
        });
    }

    /**
     * Remove a container and its anonymous volumes, stopping it first; named volumes stay.
     *
     * @param containerId the container
     */
    public void removeContainer(String containerId) {
        try {
            client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            LOG.debug("container {} already gone", containerId);
        } catch (DockerException e) {
            throw new EngineException("cannot remove container " + shortId(containerId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Return the state of a container.
     *
     * @param containerId the container
     * @return whether it runs and its exit code
     */
    public ContainerStatus status(String containerId) {
        try {
            InspectContainerResponse.ContainerState state = client.inspectContainerCmd(containerId).exec().getState();
            Long exit = state.getExitCodeLong();
            return new ContainerStatus(true, Boolean.TRUE.equals(state.getRunning()),
                    exit == null ? 0 : exit.intValue(), Boolean.TRUE.equals(state.getOOMKilled()));
        } catch (NotFoundException e) {
            return new ContainerStatus(false, false, -1, false);
        }
    }

    /**
     * Return the host port a container port is published on.
     *
     * @param containerId a running container
     * @param containerPort the container's port
     * @return the host port
     */
    public int mappedPort(String containerId, int containerPort) {
        Ports.Binding[] bindings = client.inspectContainerCmd(containerId).exec()
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null || bindings.length == 0) {
            throw new EngineException("container " + shortId(containerId) + " publishes no host port for "
                    + containerPort + "/tcp; is it running?");
        }
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    /**
     * Return the last lines of a container's log (stdout and stderr interleaved).
     *
     * @param containerId the container
     * @param lines how many lines at most
     * @return the log tail, or a note when it cannot be read
     */
    public String logTail(String containerId, int lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.writeBytes(frame.getPayload());
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return "(log of " + shortId(containerId) + " unavailable: " + e.getMessage() + ")";
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8).stripTrailing();
    }

    /**
     * Run a command inside a running container and collect its output.
     *
     * @param containerId the container
     * @param user the user to run as
     * @param argv the command, one argument per element
     * @return exit code, stdout and stderr
     */
    public ExecResult exec(String containerId, String user, List<String> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return exec(containerId, user, argv, out).withStdout(out.toByteArray());
    }

    /**
     * Run a command inside a running container, streaming its standard output; standard error
     * is collected. Commands get no standard input: docker-java cannot signal its end, so data
     * goes in through {@link #copyToContainer} instead.
     *
     * @param containerId the container
     * @param user the user to run as
     * @param argv the command, one argument per element
     * @param stdout where the command's standard output goes
     * @return exit code and stderr (stdout is empty: it went to {@code stdout})
     */
    public ExecResult exec(String containerId, String user, List<String> argv, OutputStream stdout) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        IOException[] writeFailure = new IOException[1];
        String execId = call("exec " + argv.get(0) + " in " + shortId(containerId), () -> {
            ExecCreateCmdResponse created = client.execCreateCmd(containerId)
                    .withCmd(argv.toArray(String[]::new))
                    .withUser(user)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec();
            client.execStartCmd(created.getId()).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    switch (frame.getStreamType()) {
                        case STDOUT, RAW -> {
                            try {
                                stdout.write(frame.getPayload());
                            } catch (IOException e) {
                                writeFailure[0] = e;
                            }
                        }
                        case STDERR -> err.writeBytes(frame.getPayload());
                        default -> { }
                    }
                }
            }).awaitCompletion();
            return created.getId();
        });
        if (writeFailure[0] != null) {
            throw new UncheckedIOException("cannot write the output of " + argv.get(0), writeFailure[0]);
        }
        Long exit = client.inspectExecCmd(execId).exec().getExitCodeLong();
        return new ExecResult(exit == null ? -1 : exit.intValue(), new byte[0], err.toByteArray());
    }

    /**
     * List containers that carry a label with a value, running or not.
     *
     * @param label label name
     * @param value label value
     * @return container id to labels
     */
    public Map<String, Map<String, String>> containersLabelled(String label, String value) {
        List<Container> containers = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(label, value)).exec();
        Map<String, Map<String, String>> result = new java.util.LinkedHashMap<>();
        for (Container c : containers) {
            result.put(c.getId(), c.getLabels() == null ? Map.of() : c.getLabels());
        }
        return result;
    }

    /**
     * List the running containers that mount a volume, whoever created them.
     *
     * @param volume volume name
     * @return container name (without the leading '/') to labels
     */
    public Map<String, Map<String, String>> runningContainersOn(String volume) {
        List<Container> containers = call("list the containers on volume " + volume,
                () -> client.listContainersCmd().withVolumeFilter(List.of(volume)).exec());
        Map<String, Map<String, String>> result = new java.util.LinkedHashMap<>();
        for (Container c : containers) {
            String name = c.getNames() == null || c.getNames().length == 0 ? shortId(c.getId())
                    : c.getNames()[0].replaceFirst("^/", "");
            result.put(name, c.getLabels() == null ? Map.of() : c.getLabels());
        }
        return result;
    }

    static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    private interface DockerCall<T> {
        T run() throws Exception;
    }

    private static <T> T call(String what, DockerCall<T> call) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while trying to " + what, e);
        } catch (DockerException e) {
            throw new EngineException("cannot " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new EngineException("cannot " + what + ": " + e, e);
        } catch (Exception e) {
            throw new EngineException("cannot " + what + ": " + e, e);
        }
    }


}
