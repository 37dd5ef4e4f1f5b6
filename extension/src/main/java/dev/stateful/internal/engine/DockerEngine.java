package dev.stateful.internal.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
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
import dev.stateful.error.EngineException;
import dev.stateful.error.EngineUnavailableException;
import dev.stateful.error.ImageException;
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
import org.testcontainers.dockerclient.TransportConfig;
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

    /** How long a stopped command gets between SIGTERM and SIGKILL. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);
    /**
     * Runs the command after reporting its pid on the first line of stderr, so that a command
     * past its deadline can be signalled inside the container. A constant script: the command
     * itself goes in as positional arguments, never into the script text.
     */
    private static final List<String> PID_WRAPPER = List.of("sh", "-c", "echo \"$$\" >&2; exec \"$@\"", "stateful-exec");

    /** Workers of engine calls, so that a call that does not answer can be given up at its deadline. */
    private static final java.util.concurrent.ExecutorService CALLS = new java.util.concurrent.ThreadPoolExecutor(0,
            Integer.MAX_VALUE, 2, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), new java.util.concurrent.ThreadFactory() {
                private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

                @Override
                public Thread newThread(Runnable r) {
                    Thread t = new Thread(r, "stateful-engine-call-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }
            });

    /**
     * Clients for short calls, one per engine deadline: their socket gives up a few seconds after
     * the deadline, so the worker of a call to an engine that stopped answering is released
     * instead of staying blocked on a read for as long as the connection lives.
     */
    private static final java.util.Map<Duration, DockerClient> SHORT_CALL_CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();
    /** How much longer than the engine deadline a short call's socket waits for the response. */
    private static final Duration SOCKET_MARGIN = Duration.ofSeconds(5);
    private static volatile TransportConfig transport;

    /** For streams and calls that last as long as the server side takes (exec, logs, archives, stop, kill, wait, pull). */
    private final DockerClient client;
    /** For short calls (inspect, list, create, start, remove), with a socket deadline. */
    private final DockerClient calls;
    private final String hostAddress;
    private final Duration commandTimeout;
    private final Duration engineTimeout;

    private DockerEngine(DockerClient client, String hostAddress, Duration commandTimeout, Duration engineTimeout) {
        this.client = client;
        this.calls = shortCallClient(client, engineTimeout);
        this.hostAddress = hostAddress;
        this.commandTimeout = commandTimeout;
        this.engineTimeout = engineTimeout;
    }

    /**
     * A client on the same engine as Testcontainers' own whose socket reads give up shortly after
     * {@code engineTimeout}. Testcontainers' client has no response deadline; where the one of
     * this class cannot be built (another Testcontainers layout), short calls share it and only
     * the caller's deadline holds.
     */
    private static DockerClient shortCallClient(DockerClient shared, Duration engineTimeout) {
        TransportConfig config = transport;
        if (config == null) {
            return shared;
        }
        return SHORT_CALL_CLIENTS.computeIfAbsent(engineTimeout, deadline -> {
            try {
                var http = new com.github.dockerjava.zerodep.ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .sslConfig(config.getSslConfig())
                        .connectionTimeout(deadline)
                        .responseTimeout(deadline.plus(SOCKET_MARGIN))
                        .build();
                var clientConfig = org.testcontainers.shaded.com.github.dockerjava.core.DefaultDockerClientConfig
                        .createDefaultConfigBuilder().withDockerHost(config.getDockerHost().toString()).build();
                return org.testcontainers.shaded.com.github.dockerjava.core.DockerClientImpl.getInstance(clientConfig, http);
            } catch (LinkageError | RuntimeException e) {
                LOG.debug("no client with a socket deadline ({}); short calls share Testcontainers' client", e.toString());
                return shared;
            }
        });
    }

    /**
     * Return this engine with another deadline for commands run in containers.
     *
     * @param timeout how long one command may run before it is stopped
     * @return an engine sharing this one's connection
     */
    public DockerEngine withCommandTimeout(Duration timeout) {
        return new DockerEngine(client, hostAddress, timeout, engineTimeout);
    }

    /**
     * Return this engine with other deadlines.
     *
     * @param command how long one command in a container may run
     * @param engine how long a short engine call (inspect, list, create, start, remove) may take
     * @return an engine sharing this one's connection
     */
    public DockerEngine withTimeouts(Duration command, Duration engine) {
        return new DockerEngine(client, hostAddress, command, engine);
    }

    /**
     * Return the deadline of commands run in containers.
     *
     * @return the timeout
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * Return the engine of this JVM, connecting (and sweeping leftovers of dead runs) on
     * first use with the given settings; later calls share that connection.
     *
     * @param settings resolved settings (the first call's are used)
     * @return the engine
     * @throws EngineUnavailableException when no Docker engine answers
     */
    public static DockerEngine get(EngineSettings settings) {
        synchronized (LOCK) {
            if (instance == null) {
                instance = connect(settings);
                new Sweeper(instance, settings.sweepForeignAge()).sweep();
            }
            return instance;
        }
    }

    /**
     * Return the engine of this JVM: the one a handle connected, or a new connection with
     * {@link EngineSettings#DEFAULTS} (for Stateful's own tools and tests).
     *
     * @return the engine
     * @throws EngineUnavailableException when no Docker engine answers
     */
    public static DockerEngine get() {
        return get(EngineSettings.DEFAULTS);
    }

    private static DockerEngine connect(EngineSettings settings) {
        String dockerHost = settings.dockerHost().orElse(null);
        DockerClientFactory factory;
        DockerClient client;
        URI used;
        try {
            factory = DockerClientFactory.instance();
            client = factory.client();
            transport = factory.getTransportConfig();
            used = transport.getDockerHost();
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
            return new DockerEngine(client, factory.dockerHostIpAddress(), settings.commandTimeout(),
                    settings.engineTimeout());
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
            return Optional.of(bounded("inspect image " + reference, () -> calls.inspectImageCmd(reference).exec()));
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
        try (var pulling = client.pullImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart()).start()) {
            boolean done = pulling.awaitCompletion(5, TimeUnit.MINUTES);
            if (!done) {
                throw new ImageException(EngineMessages.imageMissing(reference, "pull did not finish within 5 minutes"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(EngineMessages.imageMissing(reference, "interrupted"), e);
        } catch (IOException | RuntimeException e) {
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
            InspectVolumeResponse volume = bounded("inspect volume " + name, () -> calls.inspectVolumeCmd(name).exec());
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
            var cmd = calls.createVolumeCmd().withName(name).withLabels(labels);
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
            bounded("remove volume " + name, () -> calls.removeVolumeCmd(name).exec());
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
        List<InspectVolumeResponse> volumes = bounded("list volumes", () -> calls.listVolumesCmd()
                .withFilter("label", List.of(value == null ? label : label + "=" + value)).exec().getVolumes());
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
                .withPortBindings(new PortBinding(Ports.Binding.bindIp(spec.bindAddress()), port));
        String id = call("create container " + spec.name(), () -> {
            CreateContainerCmd cmd = calls.createContainerCmd(spec.image())
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
        call("copy files into " + shortId(containerId), commandTimeout, () -> {
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
        String id = call("create helper container", () -> calls.createContainerCmd(image)
                .withEntrypoint(entrypoint)
                .withCmd(List.of())
                .withLabels(labels)
                .withHostConfig(HostConfig.newHostConfig().withBinds(binds))
                .exec().getId());
        try {
            start(id);
            Integer code = call("wait for helper container", timeout.plus(engineTimeout), () -> {
                try (var waiting = client.waitContainerCmd(id).start()) {
                    return waiting.awaitStatusCode(timeout.toSeconds(), TimeUnit.SECONDS);
                }
            });
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
        java.util.concurrent.atomic.AtomicReference<InputStream> open = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            call("copy " + path + " out of " + shortId(containerId), commandTimeout, () -> {
                try (InputStream in = client.copyArchiveFromContainerCmd(containerId, path).exec()) {
                    open.set(in);
                    in.transferTo(tar);
                }
                return null;
            });
        } finally {
            closeQuietly(open.get()); // unblocks the copying thread when the deadline expired
        }
    }

    /**
     * Start a container; an already running one is left as it is.
     *
     * @param containerId the container
     */
    public void start(String containerId) {
        try {
            bounded("start container " + shortId(containerId), () -> calls.startContainerCmd(containerId).exec());
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
            bounded("stop container " + shortId(containerId), timeout.plus(engineTimeout),
                    () -> client.stopContainerCmd(containerId).withTimeout((int) timeout.toSeconds()).exec());
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
        call("kill container " + shortId(containerId), Duration.ofSeconds(30).plus(engineTimeout), () -> {
            client.killContainerCmd(containerId).withSignal("SIGKILL").exec();
            try (var waiting = client.waitContainerCmd(containerId).start()) {
                waiting.awaitStatusCode(30, TimeUnit.SECONDS);
            }
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
            bounded("remove container " + shortId(containerId),
                    () -> calls.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec());
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
            InspectContainerResponse.ContainerState state = bounded("inspect container " + shortId(containerId),
                    () -> calls.inspectContainerCmd(containerId).exec().getState());
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
        Ports.Binding[] bindings = bounded("inspect container " + shortId(containerId),
                () -> calls.inspectContainerCmd(containerId).exec())
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
        try (var reading = client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
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
            return out.toString(java.nio.charset.StandardCharsets.UTF_8).stripTrailing();
        }
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
        ExecOutput output = new ExecOutput(stdout);
        List<String> wrapped = new java.util.ArrayList<>(PID_WRAPPER);
        wrapped.addAll(argv);
        String what = "exec " + argv.get(0) + " in " + shortId(containerId);
        long started = System.nanoTime();
        String execId = call(what, () -> calls.execCreateCmd(containerId)
                .withCmd(wrapped.toArray(String[]::new))
                .withUser(user)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec().getId());
        boolean finished;
        try (ResultCallback.Adapter<Frame> callback = client.execStartCmd(execId).exec(output)) {
            finished = callback.awaitCompletion(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                stopCommand(containerId, output.pid());
            }
        } catch (IOException e) {
            throw new EngineException("cannot close the output of " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for " + what, e);
        }
        if (!finished) {
            Duration ran = Duration.ofNanos(System.nanoTime() - started);
            throw new dev.stateful.error.CommandTimeoutException(EngineMessages.commandTimedOut(argv, containerId,
                    commandTimeout, ran, logTail(containerId, 20)));
        }
        if (output.writeFailure != null) {
            throw new UncheckedIOException("cannot write the output of " + argv.get(0), output.writeFailure);
        }
        Long exit = call("inspect " + what, () -> calls.inspectExecCmd(execId).exec().getExitCodeLong());
        return new ExecResult(exit == null ? -1 : exit.intValue(), new byte[0], output.stderr());
    }

    /** SIGTERM the command inside its container, then SIGKILL it when it is still there after a grace period. */
    private void stopCommand(String containerId, Optional<String> pid) {
        if (pid.isEmpty()) {
            LOG.warn("cannot stop a command in {}: it did not report its pid", shortId(containerId));
            return;
        }
        for (String signal : List.of("-TERM", "-KILL")) {
            try {
                String killId = bounded("signal a command", () -> calls.execCreateCmd(containerId).withUser("root")
                        .withCmd("kill", signal, pid.get()).exec().getId());
                try (ResultCallback.Adapter<Frame> done = client.execStartCmd(killId).exec(new ResultCallback.Adapter<>())) {
                    done.awaitCompletion(10, TimeUnit.SECONDS);
                }
                if (signal.equals("-TERM") && !awaitGone(containerId, pid.get())) {
                    continue;
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot send {} to pid {} in {}: {}", signal, pid.get(), shortId(containerId), e.toString());
                return;
            }
        }
    }

    private boolean awaitGone(String containerId, String pid) throws InterruptedException {
        long deadline = System.nanoTime() + KILL_GRACE.toNanos();
        while (System.nanoTime() < deadline) {
            String checkId = bounded("check a command", () -> calls.execCreateCmd(containerId).withUser("root")
                    .withCmd("kill", "-0", pid).exec().getId());
            try (ResultCallback.Adapter<Frame> done = client.execStartCmd(checkId).exec(new ResultCallback.Adapter<>())) {
                done.awaitCompletion(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                return false;
            }
            Long code = bounded("check a command", () -> calls.inspectExecCmd(checkId).exec().getExitCodeLong());
            if (code != null && code != 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Streams an exec's stdout, collects its stderr, and takes the wrapper's pid line off stderr. */
    private static final class ExecOutput extends ResultCallback.Adapter<Frame> {
        private final OutputStream stdout;
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final ByteArrayOutputStream header = new ByteArrayOutputStream();
        private volatile String pid;
        private volatile IOException writeFailure;

        ExecOutput(OutputStream stdout) {
            this.stdout = stdout;
        }

        @Override
        public void onNext(Frame frame) {
            switch (frame.getStreamType()) {
                case STDOUT, RAW -> {
                    try {
                        stdout.write(frame.getPayload());
                    } catch (IOException e) {
                        writeFailure = e;
                    }
                }
                case STDERR -> stderr(frame.getPayload());
                default -> { }
            }
        }

        private synchronized void stderr(byte[] payload) {
            int from = 0;
            if (pid == null) {
                for (; from < payload.length && pid == null; from++) {
                    if (payload[from] == '\n') {
                        pid = header.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
                    } else {
                        header.write(payload[from]);
                    }
                }
            }
            err.write(payload, from, payload.length - from);
        }

        Optional<String> pid() {
            String p = pid;
            return p != null && p.matches("[0-9]+") ? Optional.of(p) : Optional.empty();
        }

        synchronized byte[] stderr() {
            return err.toByteArray();
        }
    }

    /**
     * List containers that carry a label with a value, running or not.
     *
     * @param label label name
     * @param value label value
     * @return container id to labels
     */
    public Map<String, Map<String, String>> containersLabelled(String label, String value) {
        List<Container> containers = bounded("list containers", () -> calls.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(label, value)).exec());
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
                () -> calls.listContainersCmd().withVolumeFilter(List.of(volume)).exec());
        Map<String, Map<String, String>> result = new java.util.LinkedHashMap<>();
        for (Container c : containers) {
            String name = c.getNames() == null || c.getNames().length == 0 ? shortId(c.getId())
                    : c.getNames()[0].replaceFirst("^/", "");
            result.put(name, c.getLabels() == null ? Map.of() : c.getLabels());
        }
        return result;
    }

    // ---------------------------------------------------------------- networks and one-off containers

    /**
     * Create a private bridge network.
     *
     * @param name the network's name
     * @param labels its labels
     * @return the network id
     */
    public String createNetwork(String name, Map<String, String> labels) {
        return call("create network " + name, () -> client.createNetworkCmd().withName(name).withDriver("bridge")
                .withLabels(labels).withCheckDuplicate(true).exec().getId());
    }

    /**
     * Attach a running container to a network under an alias other containers on it resolve.
     *
     * @param networkId the network
     * @param containerId the container
     * @param alias the host name it gets on the network
     */
    public void connectToNetwork(String networkId, String containerId, String alias) {
        call("connect container " + shortId(containerId) + " to network " + shortId(networkId), () -> {
            client.connectToNetworkCmd().withNetworkId(networkId).withContainerId(containerId)
                    .withContainerNetwork(new com.github.dockerjava.api.model.ContainerNetwork().withAliases(alias))
                    .exec();
            return null;
        });
    }

    /**
     * Detach a container from a network; a container or network already gone is not an error.
     *
     * @param networkId the network
     * @param containerId the container
     */
    public void disconnectFromNetwork(String networkId, String containerId) {
        try {
            bounded("disconnect container " + shortId(containerId) + " from network " + shortId(networkId),
                    () -> client.disconnectFromNetworkCmd().withNetworkId(networkId).withContainerId(containerId)
                            .withForce(true).exec());
        } catch (NotFoundException e) {
            LOG.debug("network {} or container {} already gone", networkId, containerId);
        } catch (DockerException e) {
            throw new EngineException("cannot disconnect container " + shortId(containerId) + " from network "
                    + shortId(networkId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Remove a network (no container may be attached any more); a missing one is not an error.
     *
     * @param networkId the network
     */
    public void removeNetwork(String networkId) {
        try {
            bounded("remove network " + shortId(networkId), () -> client.removeNetworkCmd(networkId).exec());
        } catch (NotFoundException e) {
            LOG.debug("network {} already gone", networkId);
        } catch (DockerException e) {
            throw new EngineException("cannot remove network " + shortId(networkId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * List the networks that carry a label value.
     *
     * @param label the label
     * @param value its value
     * @return network name to labels
     */
    public Map<String, Map<String, String>> networksLabelled(String label, String value) {
        Map<String, Map<String, String>> result = new java.util.LinkedHashMap<>();
        for (com.github.dockerjava.api.model.Network n : call("list networks",
                () -> client.listNetworksCmd().withFilter("label", List.of(label + "=" + value)).exec())) {
            result.put(n.getName(), n.getLabels() == null ? Map.of() : n.getLabels());
        }
        return result;
    }

    /**
     * Run a one-off container on a network to completion, as {@code docker run --rm --network}:
     * the image's entrypoint stays, the argv replaces its command, no port is published. At the
     * deadline the container is killed. It is removed in every case.
     *
     * @param image the image
     * @param argv the command, one argument per element; empty keeps the image's own
     * @param env {@code NAME=value} entries
     * @param network the network's name
     * @param labels the container's labels
     * @param timeout how long it may run
     * @param tailLines how many lines of its output to keep
     * @return the exit code ({@code -1} when it was killed at the deadline), and its output tail
     *     (stdout and stderr in order) as stderr
     */
    public OneOffResult runOnNetwork(String image, List<String> argv, List<String> env, String network,
                                     Map<String, String> labels, Duration timeout, int tailLines) {
        String id = call("create container of image " + image, () -> {
            CreateContainerCmd cmd = calls.createContainerCmd(image).withEnv(env).withLabels(labels)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network));
            if (!argv.isEmpty()) {
                cmd.withCmd(argv);
            }
            return cmd.exec().getId();
        });
        try {
            start(id);
            Integer code = call("wait for container " + shortId(id), timeout.plus(engineTimeout), () -> {
                try (var waiting = client.waitContainerCmd(id).start()) {
                    return waiting.awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (com.github.dockerjava.api.exception.DockerClientException e) {
                    if (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
                        return null; // "Awaiting status code timeout."
                    }
                    throw e;
                }
            });
            boolean timedOut = code == null;
            if (timedOut) {
                LOG.warn("container {} of image {} ran past its deadline of {} s: killing it", shortId(id), image,
                        timeout.toSeconds());
                kill(id); // a shell as PID 1 ignores SIGTERM: no grace period
                code = -1;
            }
            return new OneOffResult(code, timedOut, logTail(id, tailLines));
        } finally {
            removeContainer(id);
        }
    }

    static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    private interface DockerCall<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, DockerCall<T> call) {
        return call(what, engineTimeout, call);
    }

    /** Run an engine call with a deadline and turn every failure into an {@link EngineException}. */
    private static <T> T call(String what, Duration deadline, DockerCall<T> call) {
        try {
            return bounded(what, deadline, call::run);
        } catch (EngineException e) {
            throw e;
        } catch (DockerException e) {
            throw new EngineException("cannot " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new EngineException("cannot " + what + ": " + e, e);
        }
    }

    private <T> T bounded(String what, java.util.concurrent.Callable<T> body) {
        return bounded(what, engineTimeout, body);
    }

    /**
     * Run an engine call on a worker and wait at most {@code deadline} for it: an engine that
     * stops answering gives an {@link EngineException}, not a hang. The body's own unchecked
     * exceptions (for example docker-java's {@code NotFoundException}) reach the caller as they are.
     */
    private static <T> T bounded(String what, Duration deadline, java.util.concurrent.Callable<T> body) {
        java.util.concurrent.Future<T> result = CALLS.submit(body);
        try {
            return result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            result.cancel(true);
            throw new EngineException("cannot " + what + ": the Docker engine did not answer within " + deadline.toSeconds()
                    + " s. Fix: check that the engine is running and reachable (DOCKER_HOST), or raise "
                    + "stateful.engine-timeout / STATEFUL_ENGINE_TIMEOUT when it is only slow.", e);
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while trying to " + what, e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new EngineException("cannot " + what + ": " + cause, cause);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.debug("closing a stream failed: {}", e.toString());
            }
        }
    }


}
