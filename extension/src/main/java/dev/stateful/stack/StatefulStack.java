package dev.stateful.stack;

import dev.stateful.Setting;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.StatefulException;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ImageInfo;
import dev.stateful.internal.stack.ComposeProject;
import dev.stateful.internal.stack.ComposeReader;
import dev.stateful.internal.stack.ComposeService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compose file's services, each on named volumes of its own: created, labelled and removed by
 * Stateful, never the project's own. Services start in {@code depends_on} order and are ready
 * (healthy, accepting queries, answering PING) before the next one starts; ports are published on
 * 127.0.0.1 only.
 *
 * <pre>{@code
 * try (StatefulStack shop = StatefulStack.fromCompose(Path.of("src/test/resources/shop/docker-compose.yml")).start()) {
 *     shop.postgres("orders").connection() ...;
 *     shop.down();
 *     shop.up();
 * }
 * }</pre>
 */
public final class StatefulStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatefulStack.class);
    private final StackContext context;
    private final Map<String, ServiceRuntime> services;
    private boolean closed;
    private boolean hasBaseline;

    StackContext context() {
        return context;
    }

    Map<String, ServiceRuntime> runtimes() {
        return services;
    }

    private StatefulStack(StackContext context, Map<String, ServiceRuntime> services) {
        this.context = context;
        this.services = services;
    }

    /**
     * Describe a stack from a compose file.
     *
     * @param composeFile the compose file; a relative path is resolved against the working directory
     * @return a builder; nothing is read or created before {@link Builder#start()}
     */
    public static Builder fromCompose(Path composeFile) {
        return new Builder(Objects.requireNonNull(composeFile, "composeFile"));
    }

    /**
     * The name of the stack: the prefix of its network, containers and volumes.
     *
     * @return such as {@code stateful-shop-1a2b3c4d}
     */
    public String project() {
        return context.project;
    }

    /**
     * The Docker volume that holds a named volume of the compose file for this stack.
     *
     * @param key the volume's key under the file's top-level {@code volumes:}
     * @return the Docker volume's name
     */
    public String volumeName(String key) {
        String name = context.volumeNames.get(key);
        if (name == null) {
            throw new InvalidArgumentException("volumeName('" + key + "') on stack " + context.project + ": the stack "
                    + "has no such volume; expected one of " + context.volumeNames.keySet() + ". Fix: name a volume the "
                    + "stack's services mount.");
        }
        return name;
    }

    /**
     * One service of the stack.
     *
     * @param name its name in the compose file
     * @return the service
     */
    public StackService service(String name) {
        ServiceRuntime service = services.get(name);
        if (service == null) {
            throw new InvalidArgumentException("service('" + name + "') on stack " + context.project + ": the stack "
                    + "runs no such service; expected one of " + services.keySet() + ". Fix: name one of them, or "
                    + "add it to services = {...}.");
        }
        return service;
    }

    /**
     * The full handle of a Postgres service (an image that sets {@code PGDATA}, run as a server or with a
     * volume at its data directory). After {@link #down()}
     * and {@link #up()} the service has a new handle: call this again.
     *
     * @param name the service's name in the compose file
     * @return its handle
     */
    public StatefulPostgres postgres(String name) {
        StackService service = service(name);
        if (!(service instanceof PostgresService)) {
            throw new InvalidArgumentException("postgres('" + name + "') on stack " + context.project + ": the service "
                    + "does not run a Postgres server; expected one of " + postgresNames()
                    + ". Fix: use service('" + name + "') for it.");
        }
        return ((PostgresService) service).handle();
    }

    private List<String> postgresNames() {
        List<String> names = new ArrayList<>();
        services.forEach((name, s) -> {
            if (s instanceof PostgresService) {
                names.add(name);
            }
        });
        return names;
    }

    /** As {@code docker compose down}: every container removed in reverse start order; the volumes stay. */
    public synchronized void down() {
        List<ServiceRuntime> reverse = new ArrayList<>(services.values());
        Collections.reverse(reverse);
        for (ServiceRuntime service : reverse) {
            service.down();
        }
        LOG.info("Stack {}: down (volumes kept)", context.project);
    }

    /** As {@code docker compose up -d --wait}: new containers on the same volumes, ready, in {@code depends_on} order. */
    public synchronized void up() {
        for (String volume : context.volumeNames.values()) {
            if (!context.engine.volumeExists(volume)) {
                context.engine.createVolume(volume, context.labels("volume"));
            }
        }
        for (ServiceRuntime service : services.values()) {
            service.up();
        }
        LOG.info("Stack {}: up ({})", context.project, String.join(", ", services.keySet()));
    }

    /** As {@code docker compose down -v}: the containers and the stack's volumes removed; {@link #up()} starts empty. */
    public synchronized void downWithVolumes() {
        down();
        for (String volume : context.volumeNames.values()) {
            context.engine.removeVolume(volume);
        }
    }

    /**
     * The state of every store, by service.
     *
     * @return the fingerprint
     */
    public synchronized StackFingerprint fingerprint() {
        Map<String, Object> all = new LinkedHashMap<>();
        services.forEach((name, service) -> all.put(name, service.fingerprint()));
        return new StackFingerprint(all);
    }

    /**
     * Back up every named volume of the stack together: the services are stopped (reverse start
     * order) while their volumes stream through the Docker API into {@code <volume>.tar} files, then
     * started again in order. {@code manifest.properties}, written last, holds each file's size and
     * SHA-256 and how long the services were paused.
     *
     * @param target a new or empty folder
     * @return the folder
     */
    public synchronized Path backup(Path target) {
        return StackBackups.backup(context, services, Objects.requireNonNull(target, "target"));
    }

    /**
     * Replace every named volume of the stack by a backup's copy, and start the services on them.
     * The manifest, every archive's size and its SHA-256 are checked first: a damaged or partial
     * backup is refused before any volume is touched.
     *
     * @param backup a folder written by {@link #backup(Path)} for a stack of the same compose file
     */
    public synchronized void restoreBackup(Path backup) {
        up();
        StackBackups.restore(context, services, Objects.requireNonNull(backup, "backup"));
    }

    /**
     * Keep the current state of every store as the stack's baseline, replacing an earlier one:
     * Postgres as a template-database snapshot and a dump, Redis as a DUMP of every key, other named volumes as
     * tar copies spooled to temporary files. {@code @WithStack} takes it before the first test.
     */
    public synchronized void takeBaseline() {
        up();
        for (ServiceRuntime service : services.values()) {
            service.takeBaseline();
        }
        hasBaseline = true;
    }

    /**
     * Put every store back to the baseline, bringing services up first when a test took them down.
     * Postgres is restored from its snapshot (or, after {@link #downWithVolumes()}, from the dump taken
     * with the baseline), Redis flushed and refilled, other volumes emptied and refilled; no container
     * is restarted.
     *
     * @throws StatefulException when there is no baseline
     */
    public synchronized void resetToBaseline() {
        if (!hasBaseline) {
            throw new StatefulException("Stack " + context.project + " has no baseline to reset to; expected "
                    + "takeBaseline() first. Fix: call takeBaseline() once the stack holds the state every test starts from.");
        }
        up();
        for (ServiceRuntime service : services.values()) {
            service.resetToBaseline();
        }
    }

    /**
     * Remove every container, volume and network this stack created. Idempotent; every step is tried.
     *
     * @throws StatefulException listing what could not be removed
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> left = new ArrayList<>();
        services.values().forEach(ServiceRuntime::dropBaseline);
        List<ServiceRuntime> reverse = new ArrayList<>(services.values());
        Collections.reverse(reverse);
        for (ServiceRuntime service : reverse) {
            try {
                service.down();
            } catch (RuntimeException e) {
                left.add("the container of service '" + service.name() + "' (" + e.getMessage() + ")");
            }
        }
        for (String volume : context.volumeNames.values()) {
            try {
                context.engine.removeVolume(volume);
            } catch (RuntimeException e) {
                left.add("volume '" + volume + "' (" + e.getMessage() + ")");
            }
        }
        try {
            context.engine.removeNetwork(context.network);
        } catch (RuntimeException e) {
            left.add("network '" + context.network + "' (" + e.getMessage() + ")");
        }
        if (!left.isEmpty()) {
            throw new StatefulException("Stack " + context.project + " could not remove " + String.join(", ", left)
                    + ". Expected every container and volume Stateful created for it to be gone. Fix: stop what still "
                    + "uses them and remove them by hand (they carry the label " + StackContext.STACK_LABEL + "="
                    + context.project + ").");
        }
        LOG.info("Stack {}: closed; its containers, volumes and network are removed", context.project);
    }

    @Override
    public String toString() {
        return "StatefulStack " + context.project + " " + services.keySet();
    }

    /** Configure a stack, then {@link #start()} it. */
    public static final class Builder {
        private final Path file;
        private final List<String> only = new ArrayList<>();
        private String nameHint;
        private Duration readyTimeout = Duration.ofSeconds(120);

        private Builder(Path file) {
            this.file = file;
        }

        /**
         * Run only these services and what they depend on.
         *
         * @param names service names of the compose file
         * @return this builder
         */
        public Builder services(String... names) {
            only.addAll(Arrays.asList(names));
            return this;
        }

        /**
         * Set the readable part of the stack's name, {@code stateful-<hint>-<random>}.
         *
         * @param hint for example the test class's simple name
         * @return this builder
         */
        public Builder nameHint(String hint) {
            this.nameHint = hint;
            return this;
        }

        /**
         * How long each service may take to become ready.
         *
         * @param timeout a positive duration (default 120 s)
         * @return this builder
         */
        public Builder readyTimeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new InvalidArgumentException("readyTimeout '" + timeout + "' is invalid; expected a positive "
                        + "duration. Fix: pass for example Duration.ofSeconds(60).");
            }
            this.readyTimeout = timeout;
            return this;
        }

        /**
         * Read the compose file, check every image, then create the network and the volumes and bring
         * the services up. Whatever was created is removed again when a step fails.
         *
         * @return the running stack
         */
        public StatefulStack start() {
            StackDependencies.requireYaml(file);
            ComposeProject project = ComposeReader.read(file).select(only);
            DockerEngine engine = DockerEngine.get();
            Map<String, ImageInfo> images = new LinkedHashMap<>();
            for (ComposeService service : project.services().values()) {
                images.put(service.name(), engine.image(service.image()));
            }
            String hint = nameHint != null ? nameHint : file.toAbsolutePath().getParent().getFileName().toString();
            String name = VolumeNames.generate(hint);
            Map<String, String> volumeNames = new LinkedHashMap<>();
            project.volumes().keySet().forEach(key -> volumeNames.put(key, name + "-" + key));
            String helper = project.services().values().stream()
                    .filter(s -> images.get(s.name()).envValue("PGDATA").isPresent()).map(ComposeService::image)
                    .findFirst().orElseGet(() -> StatefulSettings.fromSystem().get(Setting.IMAGE));
            StackContext context = new StackContext(engine, name, volumeNames, readyTimeout, helper);
            Map<String, ServiceRuntime> services = new LinkedHashMap<>();
            for (ComposeService service : project.services().values()) {
                services.put(service.name(), runtime(context, service, images.get(service.name())));
            }
            engine.createNetwork(name, context.labels("network"));
            StatefulStack stack = new StatefulStack(context, services);
            try {
                stack.up();
            } catch (RuntimeException e) {
                try {
                    stack.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            return stack;
        }

        private ServiceRuntime runtime(StackContext context, ComposeService service, ImageInfo image) {
            String pgdata = image.envValue("PGDATA").orElse(null);
            boolean server = service.entrypoint().isEmpty() && (service.command().isEmpty()
                    || service.command().get(0).equals("postgres"));
            if (pgdata != null && (server || service.volumes().stream().anyMatch(m -> m.target().equals(pgdata)))) {
                return new PostgresService(context, service, pgdata, file);
            }
            String reference = service.image().toLowerCase(java.util.Locale.ROOT);
            String repository = reference.substring(reference.lastIndexOf('/') + 1);
            if (repository.startsWith("redis") || (!service.command().isEmpty() && service.command().get(0).equals("redis-server"))) {
                StackDependencies.requireJedis(file, service.name());
                return new RedisService(context, service);
            }
            return new ContainerService(context, service);
        }
    }
}
