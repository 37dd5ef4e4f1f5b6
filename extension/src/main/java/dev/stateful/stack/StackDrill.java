package dev.stateful.stack;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.StatefulException;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.stack.ComposeProject;
import dev.stateful.internal.stack.ComposeReader;
import dev.stateful.internal.stack.ComposeService;
import dev.stateful.internal.stack.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * A restore drill of a live Compose project (brought up by {@code docker compose} or
 * {@code docker-compose} 1.x): its containers are found by Compose's labels, stopped briefly so that
 * every named volume is backed up consistently (streamed through the Docker API into a stack backup
 * with a manifest), started again; the backup is restored into new volumes of a {@link StatefulStack}
 * from the same compose file, each service's fingerprint (Postgres tables, Redis keys, volume files)
 * is compared between the live project and the restored copy, and the {@code check} queries run
 * against its Postgres service. Everything the drill created is removed;
 * the live project keeps its data and runs again.
 */
public final class StackDrill {
    private static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final String SERVICE_LABEL = "com.docker.compose.service";
    private final Path compose;
    private final String project;
    private final List<String> checks = new ArrayList<>();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    private Consumer<String> progress = message -> { };

    private StackDrill(Path compose, String project) {
        this.compose = compose;
        this.project = project;
    }

    /**
     * Drill a live Compose project.
     *
     * @param compose the project's compose file
     * @param project the project's name ({@code docker compose -p NAME})
     * @return the drill, not run yet
     */
    public static StackDrill ofLiveProject(Path compose, String project) {
        Objects.requireNonNull(compose, "compose");
        if (project == null || !project.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new InvalidArgumentException("project '" + project + "' is invalid; expected a Compose project name "
                    + "(letters, digits, '_', '.', '-'). Fix: pass the name given to docker compose -p.");
        }
        return new StackDrill(compose, project);
    }

    /**
     * Add a query that must return true on the restored Postgres service.
     *
     * @param sql such as {@code SELECT count(*) > 0 FROM orders}
     * @return this drill
     */
    public StackDrill check(String sql) {
        checks.add(Objects.requireNonNull(sql, "sql"));
        return this;
    }

    /**
     * Receive a line per step as the drill runs.
     *
     * @param listener the listener
     * @return this drill
     */
    public StackDrill onProgress(Consumer<String> listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Run the drill.
     *
     * @return the report; a failed step is reported, not thrown
     * @throws StatefulException when the project cannot be found or the compose file is refused
     */
    public StackDrillReport run() {
        Instant startedAt = Instant.now();
        StackDependencies.requireYaml(compose);
        ComposeProject file = ComposeReader.read(compose);
        DockerEngine engine = DockerEngine.get();
        Map<String, String> containers = liveContainers(engine, file);
        List<StackDrillReport.Step> steps = new ArrayList<>();
        Path folder;
        try {
            folder = Files.createTempDirectory("stateful-stack-drill-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long paused;
        Properties manifest = new Properties();
        manifest.setProperty("format", "stateful-stack-backup 1");
        manifest.setProperty("project", project);
        manifest.setProperty("created", Instant.now().toString());
        List<String> order = new ArrayList<>(file.services().keySet());
        List<String> reverse = new ArrayList<>(order);
        Collections.reverse(reverse);
        long pauseStart = System.nanoTime();
        try {
            for (String service : reverse) {
                engine.stop(containers.get(service), Duration.ofSeconds(10));
            }
            step(steps, "pause", "*", pauseStart, "stopped " + reverse);
            for (ComposeService service : file.services().values()) {
                for (VolumeMount mount : service.volumes()) {
                    if (mount.named() && manifest.getProperty("volume." + mount.source() + ".sha256") == null) {
                        long millis = StackBackups.backupVolume(engine, mount.source(), service.name(),
                                containers.get(service.name()), mount.target(), folder, manifest);
                        steps.add(new StackDrillReport.Step("backup", service.name(), millis, "volume " + mount.source()
                                + " (" + manifest.getProperty("volume." + mount.source() + ".bytes") + " bytes)"));
                        progress.accept("backed up volume " + mount.source() + " of " + service.name());
                    }
                }
            }
        } finally {
            long t = System.nanoTime();
            for (String service : order) {
                engine.start(containers.get(service));
            }
            paused = (System.nanoTime() - pauseStart) / 1_000_000;
            step(steps, "resume", "*", t, "started " + order + " again");
            progress.accept("the live project runs again after a pause of " + paused + " ms");
        }
        try {
            StackBackups.writeManifest(folder, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<StackDrillReport.ServiceResult> results = new ArrayList<>();
        List<StackDrillReport.Check> checked = new ArrayList<>();
        String failure = null;
        long t = System.nanoTime();
        try (StatefulStack stack = StatefulStack.fromCompose(compose).nameHint("drill-" + project).start()) {
            step(steps, "start", "*", t, "new stack " + stack.project() + " on new volumes");
            Map<String, Object> live = new LinkedHashMap<>();
            for (ComposeService service : file.services().values()) {
                long f = System.nanoTime();
                Object fingerprint = LiveFingerprints.of(engine, stack.runtimes().get(service.name()), service,
                        containers.get(service.name()), READ_TIMEOUT);
                live.put(service.name(), fingerprint);
                step(steps, "fingerprint", service.name(), f, "live project: " + summary(fingerprint));
            }
            long r = System.nanoTime();
            for (StackBackups.VolumeTime volume : StackBackups.restore(stack.context(), stack.runtimes(), folder)) {
                steps.add(new StackDrillReport.Step("restore", volume.service(), volume.millis(), "volume " + volume.volume()));
            }
            step(steps, "restore", "*", r, "every volume restored, every service started on it");
            progress.accept("restored into " + stack.project());
            for (ComposeService service : file.services().values()) {
                String name = service.name();
                long f = System.nanoTime();
                Object restored = stack.runtimes().get(name).fingerprint();
                step(steps, "fingerprint", name, f, "restored copy: " + summary(restored));
                long c = System.nanoTime();
                List<String> differences = new StackFingerprint(Map.of(name, live.get(name)))
                        .diff(new StackFingerprint(Map.of(name, restored)));
                step(steps, "compare", name, c, differences.isEmpty() ? "identical" : differences.size() + " differences");
                results.add(new StackDrillReport.ServiceResult(name, store(stack.runtimes().get(name)),
                        summary(live.get(name)), summary(restored), differences));
                progress.accept("service " + name + ": " + (differences.isEmpty() ? "identical" : differences.size()
                        + " differences"));
            }
            for (String sql : checks) {
                long c = System.nanoTime();
                String result = check(stack, file, sql);
                step(steps, "check", postgresName(stack, file), c, sql + " -> " + result);
                checked.add(new StackDrillReport.Check(sql, result.equals("true"), result));
            }
        } catch (RuntimeException e) {
            failure = e.getMessage();
        } finally {
            deleteFolder(folder);
        }
        return new StackDrillReport(project, startedAt, steps, paused, results, checked, failure);
    }

    private static String store(ServiceRuntime service) {
        return service instanceof PostgresService ? "postgres" : service instanceof RedisService ? "redis" : "volumes";
    }

    /** What a fingerprint holds, in a few words. */
    private static String summary(Object fingerprint) {
        if (fingerprint instanceof DatabaseFingerprint db) {
            return db.tables().size() + (db.tables().size() == 1 ? " table, " : " tables, ") + db.totalRows() + " rows";
        }
        return ((Map<?, ?>) fingerprint).size() + " entries";
    }

    private static String postgresName(StatefulStack stack, ComposeProject file) {
        for (String name : file.services().keySet()) {
            if (stack.runtimes().get(name) instanceof PostgresService) {
                return name;
            }
        }
        throw new InvalidArgumentException("--check needs a Postgres service, and the compose file has none; expected "
                + "a service whose image sets PGDATA. Fix: leave out --check.");
    }

    private static String check(StatefulStack stack, ComposeProject file, String sql) {
        try (Connection c = stack.postgres(postgresName(stack, file)).connection(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? String.valueOf(rows.getObject(1)) : "no row";
        } catch (SQLException e) {
            return "error: " + e.getMessage();
        }
    }

    /** The container of every service, found by Compose's labels (v1 and v2 set the same ones). */
    private Map<String, String> liveContainers(DockerEngine engine, ComposeProject file) {
        Map<String, String> byService = new LinkedHashMap<>();
        engine.containersLabelled(PROJECT_LABEL, project).forEach((id, labels) -> {
            String service = labels.get(SERVICE_LABEL);
            if (service != null && !"True".equalsIgnoreCase(labels.get("com.docker.compose.oneoff"))) {
                byService.putIfAbsent(service, id);
            }
        });
        for (String service : file.services().keySet()) {
            if (!byService.containsKey(service)) {
                throw new InvalidArgumentException("Compose project '" + project + "' has no container of service '"
                        + service + "' (found " + byService.keySet() + "); expected the project of " + compose
                        + " brought up. Fix: run docker compose -p " + project + " up -d, or pass its name.");
            }
        }
        return byService;
    }

    private static void step(List<StackDrillReport.Step> steps, String name, String service, long startNanos, String detail) {
        steps.add(new StackDrillReport.Step(name, service, (System.nanoTime() - startNanos) / 1_000_000, detail));
    }

    private static void deleteFolder(Path folder) {
        try (var files = Files.list(folder)) {
            files.forEach(VolumeFiles::delete);
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            folder.toFile().deleteOnExit();
        }
    }
}
