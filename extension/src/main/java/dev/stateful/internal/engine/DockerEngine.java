package dev.stateful.internal.engine;

import dev.stateful.error.EngineUnavailableException;
import dev.stateful.error.ImageException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Talk to the Docker engine: the one entry point in Stateful to docker-java.
 *
 * <p>Containers, volumes, exec with streams, archive copies, logs and the sweep of what
 * earlier runs left behind all go through this class, which hands each call to the class
 * that does that one job ({@code Containers}, {@code Volumes}, {@code Images}, {@code Execs},
 * {@code Archives}, {@code Networks}, {@code OneOffContainers}); every call has a deadline
 * ({@code DeadlineCalls}). Every call is an API call with argv arrays; no {@code docker} CLI
 * and no shell strings. The client comes from Testcontainers, so {@code DOCKER_HOST}, Docker
 * contexts and {@code ~/.testcontainers.properties} are honoured and a remote engine works.
 */
public final class DockerEngine {
    private static final Object LOCK = new Object();
    private static DockerEngine instance;

    private final EngineClients clients;
    private final String hostAddress;
    private final Images images;
    private final Volumes volumes;
    private final Archives archives;
    private final Containers containers;
    private final Execs execs;
    private final Networks networks;
    private final OneOffContainers oneOffs;
    private final ServiceContainers services;
    private final Registries registries;
    private final Path dockerConfig;

    DockerEngine(EngineClients clients, String hostAddress) {
        this(clients, hostAddress, null);
    }

    private DockerEngine(EngineClients clients, String hostAddress, Path dockerConfig) {
        this.dockerConfig = dockerConfig;
        this.clients = clients;
        this.hostAddress = hostAddress;
        this.images = new Images(clients);
        this.volumes = new Volumes(clients);
        this.archives = new Archives(clients);
        this.containers = new Containers(clients, archives);
        this.execs = new Execs(clients, containers);
        this.networks = new Networks(clients);
        this.oneOffs = new OneOffContainers(clients, containers);
        this.services = new ServiceContainers(clients);
        this.registries = new Registries(clients);
    }

    /**
     * Return this engine with another deadline for commands run in containers.
     *
     * @param timeout how long one command may run before it is stopped
     * @return an engine sharing this one's connection
     */
    public DockerEngine withCommandTimeout(Duration timeout) {
        return withTimeouts(timeout, clients.engineTimeout);
    }

    /**
     * Return this engine with other deadlines.
     *
     * @param command how long one command in a container may run
     * @param engine how long a short engine call (inspect, list, create, start, remove) may take
     * @return an engine sharing this one's connection
     */
    public DockerEngine withTimeouts(Duration command, Duration engine) {
        return new DockerEngine(clients.withTimeouts(command, engine), hostAddress, dockerConfig);
    }

    /**
     * Return this engine reading registry credentials from another Docker CLI configuration
     * directory than {@code DOCKER_CONFIG} or {@code ~/.docker}.
     *
     * @param directory a directory holding {@code config.json}, as {@code docker login} writes it
     * @return an engine sharing this one's connection
     */
    public DockerEngine withDockerConfig(Path directory) {
        return new DockerEngine(clients, hostAddress, directory);
    }

    private Path dockerConfig() {
        return dockerConfig != null ? dockerConfig : RegistryCredentials.defaultDirectory();
    }

    /**
     * Return the deadline of commands run in containers.
     *
     * @return the timeout
     */
    public Duration commandTimeout() {
        return clients.commandTimeout;
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
                instance = EngineConnector.connect(settings);
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
        return images.image(reference);
    }

    // ---------------------------------------------------------------- volumes

    /**
     * Tell whether a volume exists.
     *
     * @param name volume name
     * @return {@code true} when it exists
     */
    public boolean volumeExists(String name) {
        return volumes.labels(name).isPresent();
    }

    /**
     * Return the labels of a volume.
     *
     * @param name volume name
     * @return its labels, or empty when it does not exist
     */
    public Optional<Map<String, String>> volumeLabels(String name) {
        return volumes.labels(name);
    }

    /**
     * Create a named volume.
     *
     * @param name volume name
     * @param labels its labels
     */
    public void createVolume(String name, Map<String, String> labels) {
        volumes.create(name, labels, Map.of());
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
        volumes.create(name, labels, driverOpts);
    }

    /**
     * Remove a named volume; a missing one is not an error.
     *
     * @param name volume name
     */
    public void removeVolume(String name) {
        volumes.remove(name);
    }

    /**
     * List the names of volumes that carry a label with a value.
     *
     * @param label label name
     * @param value label value, or {@code null} for any value
     * @return volume names with their labels
     */
    public Map<String, Map<String, String>> volumesLabelled(String label, String value) {
        return volumes.labelled(label, value);
    }

    // ---------------------------------------------------------------- containers

    /**
     * Create (not start) a container.
     *
     * @param spec what to create
     * @return the container id
     */
    public String createContainer(ContainerSpec spec) {
        return containers.create(spec);
    }

    /**
     * Start a container; an already running one is left as it is.
     *
     * @param containerId the container
     */
    public void start(String containerId) {
        containers.start(containerId);
    }

    /**
     * Stop a container gracefully (the image's stop signal, then SIGKILL after the timeout).
     *
     * @param containerId the container
     * @param timeout how long the server may take to shut down
     */
    public void stop(String containerId, Duration timeout) {
        containers.stop(containerId, timeout);
    }

    /**
     * Send SIGKILL to a container's main process and wait until it has exited.
     *
     * @param containerId the container
     */
    public void kill(String containerId) {
        containers.kill(containerId);
    }

    /**
     * Remove a container and its anonymous volumes, stopping it first; named volumes stay.
     *
     * @param containerId the container
     */
    public void removeContainer(String containerId) {
        containers.remove(containerId);
    }

    /**
     * Return the state of a container.
     *
     * @param containerId the container
     * @return whether it runs and its exit code
     */
    public ContainerStatus status(String containerId) {
        return containers.status(containerId);
    }

    /**
     * Return the host port a container port is published on.
     *
     * @param containerId a running container
     * @param containerPort the container's port
     * @return the host port
     */
    public int mappedPort(String containerId, int containerPort) {
        return containers.mappedPort(containerId, containerPort);
    }

    /**
     * Return where this process reaches a container's port: its published host port when it has one,
     * else the container's address on its network (reachable where the engine runs on this host).
     *
     * @param containerId a running container, such as one of a Compose project
     * @param containerPort the container's port
     * @return host (unresolved) and port
     */
    public java.net.InetSocketAddress reachableAddress(String containerId, int containerPort) {
        return containers.reachableAddress(containerId, containerPort, hostAddress());
    }

    /**
     * Return the last lines of a container's log (stdout and stderr interleaved).
     *
     * @param containerId the container
     * @param lines how many lines at most
     * @return the log tail, or a note when it cannot be read
     */
    public String logTail(String containerId, int lines) {
        return containers.logTail(containerId, lines);
    }

    /**
     * List containers that carry a label with a value, running or not.
     *
     * @param label label name
     * @param value label value
     * @return container id to labels
     */
    public Map<String, Map<String, String>> containersLabelled(String label, String value) {
        return containers.labelled(label, value);
    }

    /**
     * List the running containers that mount a volume, whoever created them.
     *
     * @param volume volume name
     * @return container name (without the leading '/') to labels
     */
    public Map<String, Map<String, String>> runningContainersOn(String volume) {
        return containers.runningOn(volume);
    }

    /**
     * Create (not start) the container of a compose service.
     *
     * @param spec what to create
     * @return the container id
     */
    public String createServiceContainer(ServiceSpec spec) {
        return services.create(spec);
    }

    /**
     * Return a container's health as Docker reports it.
     *
     * @param containerId the container
     * @return {@code starting}, {@code healthy}, {@code unhealthy}, {@code none} without a healthcheck, or {@code gone}
     */
    public String health(String containerId) {
        return services.health(containerId);
    }

    // ---------------------------------------------------------------- images as a transport

    /**
     * Commit a container's filesystem as an image.
     *
     * @param containerId the container (stopped or running)
     * @param repository the image's repository, such as {@code localhost:5000/acme/cache}
     * @param tag its tag
     * @param labels labels of the image
     * @return the image id
     */
    public String commit(String containerId, String repository, String tag, Map<String, String> labels) {
        return registries.commit(containerId, repository, tag, labels);
    }

    /**
     * Push an image to its registry with the engine's own credentials.
     *
     * @param repository the repository
     * @param tag the tag
     * @param timeout how long the push may take
     */
    public void push(String repository, String tag, Duration timeout) {
        registries.push(repository, tag, timeout, dockerConfig());
    }

    /**
     * Pull an image when the registry has it.
     *
     * @param repository the repository
     * @param tag the tag
     * @param timeout how long the pull may take
     * @return {@code false} when the registry has no such tag
     */
    public boolean pullIfPresent(String repository, String tag, Duration timeout) {
        return registries.pullIfPresent(repository, tag, timeout, dockerConfig());
    }

    /**
     * Return a reader of image layers straight from their registries, with the engine's own
     * credentials; a registry on a loopback address is read only when the engine is local too.
     *
     * @return the reader
     */
    public RegistryLayers registryLayers() {
        return new RegistryLayers(dockerConfig(), commandTimeout(), RegistryLayers.isLoopback(hostAddress));
    }

    /**
     * Take a lease on a local image this process is about to push or pull: an ephemeral volume
     * labelled {@link Labels#LEASE} with the reference. The sweep keeps a leased image while the
     * lease's owner runs, and removes the image and the lease once it is gone; take the lease
     * before the image exists, {@link #release} it after the image is removed.
     *
     * @param reference the image reference, such as {@code localhost:5000/acme/cache:<key>}
     * @return the lease's name
     */
    public String lease(String reference) {
        String name = "stateful-lease-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        Map<String, String> labels = Labels.forNewResource(true);
        labels.put(Labels.LEASE, reference);
        volumes.create(name, labels, Map.of());
        return name;
    }

    /**
     * Give a lease up; a missing one is not an error.
     *
     * @param lease the name {@link #lease} returned
     */
    public void release(String lease) {
        volumes.remove(lease);
    }

    /**
     * List the local images that carry a label.
     *
     * @param label the label name
     * @return image id to its repository tags
     */
    public Map<String, List<String>> imagesLabelled(String label) {
        return registries.labelled(label);
    }

    /**
     * Remove a local image's tag unless a container (running or not) uses the image.
     *
     * @param reference the image reference
     * @return whether it was removed
     */
    public boolean removeImageIfUnused(String reference) {
        return registries.removeUnused(reference);
    }

    /**
     * Remove a local image (its tag); a missing one is not an error.
     *
     * @param reference the image reference
     */
    public void removeImage(String reference) {
        registries.remove(reference);
    }

    // ---------------------------------------------------------------- archives

    /**
     * Extract a tar stream into a container (running or not), streamed: memory use does not
     * depend on the archive's size.
     *
     * @param containerId the container
     * @param tar the archive
     * @param remotePath the directory to extract into
     */
    public void copyToContainer(String containerId, InputStream tar, String remotePath) {
        archives.copyTo(containerId, tar, remotePath);
    }

    /**
     * Stream a path of a container (running or not) out as a tar archive, as {@code docker cp}.
     *
     * @param containerId the container
     * @param path the file or directory inside it
     * @param tar where the archive goes
     */
    public void copyFromContainer(String containerId, String path, OutputStream tar) {
        archives.copyFrom(containerId, path, tar);
    }

    // ---------------------------------------------------------------- exec

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
        return execs.exec(containerId, user, argv, out).withStdout(out.toByteArray());
    }

    /**
     * Run a command inside a running container, streaming its standard output; standard error
     * is collected. Commands get no standard input: docker-java cannot signal its end, so data
     * goes in through {@link #copyToContainer} instead. A command past the command deadline is
     * stopped inside the container and fails with a {@code CommandTimeoutException}.
     *
     * @param containerId the container
     * @param user the user to run as
     * @param argv the command, one argument per element
     * @param stdout where the command's standard output goes
     * @return exit code and stderr (stdout is empty: it went to {@code stdout})
     */
    public ExecResult exec(String containerId, String user, List<String> argv, OutputStream stdout) {
        return execs.exec(containerId, user, argv, stdout);
    }

    // ---------------------------------------------------------------- one-off containers and networks

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
        return oneOffs.runToCompletion(image, entrypoint, mounts, labels, timeout);
    }

    /**
     * Create (not start) a helper container whose process only sleeps, with volumes mounted: a
     * place to stream archives into ({@link #copyToContainer}) or, once started, to run commands
     * on the volumes ({@link #exec}). The caller removes it.
     *
     * @param image the image
     * @param mounts volume name to mount path
     * @param labels labels of the helper
     * @return the container id
     */
    public String createHelper(String image, Map<String, String> mounts, Map<String, String> labels) {
        return oneOffs.createIdle(image, mounts, labels);
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
        return oneOffs.runOnNetwork(image, argv, env, network, labels, timeout, tailLines);
    }

    /**
     * Create a private bridge network.
     *
     * @param name the network's name
     * @param labels its labels
     * @return the network id
     */
    public String createNetwork(String name, Map<String, String> labels) {
        return networks.create(name, labels);
    }

    /**
     * Attach a running container to a network under an alias other containers on it resolve.
     *
     * @param networkId the network
     * @param containerId the container
     * @param alias the host name it gets on the network
     */
    public void connectToNetwork(String networkId, String containerId, String alias) {
        networks.connect(networkId, containerId, alias);
    }

    /**
     * Detach a container from a network; a container or network already gone is not an error.
     *
     * @param networkId the network
     * @param containerId the container
     */
    public void disconnectFromNetwork(String networkId, String containerId) {
        networks.disconnect(networkId, containerId);
    }

    /**
     * Remove a network (no container may be attached any more); a missing one is not an error.
     *
     * @param networkId the network
     */
    public void removeNetwork(String networkId) {
        networks.remove(networkId);
    }

    /**
     * List the networks that carry a label value.
     *
     * @param label the label
     * @param value its value
     * @return network name to labels
     */
    public Map<String, Map<String, String>> networksLabelled(String label, String value) {
        return networks.labelled(label, value);
    }
}
