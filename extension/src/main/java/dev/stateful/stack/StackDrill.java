package dev.stateful.stack;

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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A restore drill of a live Compose project (brought up by {@code docker compose} or
 * {@code docker-compose} 1.x): its containers are found by Compose's labels, stopped briefly so that
 * every named volume is backed up consistently (streamed through the Docker API into a stack backup
 * with a manifest), started again; the backup is restored into new volumes of a {@link StatefulStack}
 * from the same compose file, compared file by file with the backup before the services start, and
 * the {@code check} queries run against its Postgres service. Everything the drill created is removed;
 * the live project keeps its data and runs again.
 */
public final class StackDrill {
    private static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final String SERVICE_LABEL = "com.docker.compose.service";
    private final Path compose;
    private final String project;
    private final List<String> checks = new ArrayList<>();
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
        List<String> differences = new ArrayList<>();
        List<String> failedChecks = new ArrayList<>();
        String failure = null;
        long t = System.nanoTime();
        try (StatefulStack stack = StatefulStack.fromCompose(compose).nameHint("drill-" + project).start()) {
            step(steps, "start", "*", t, "new stack " + stack.project() + " on new volumes");
            long r = System.nanoTime();
            StackBackups.restore(stack.context(), stack.runtimes(), folder,
                    () -> compare(stack, file, folder, differences, steps));
            step(steps, "restore", "*", r, "every volume restored, compared, services started");
            progress.accept("restored into " + stack.project());
            for (String sql : checks) {
                long c = System.nanoTime();
                String result = check(stack, file, sql);
                step(steps, "check", postgresName(stack, file), c, sql + " -> " + result);
                if (!result.equals("true")) {
                    failedChecks.add(sql + " returned " + result);
                }
            }
        } catch (RuntimeException e) {
            failure = e.getMessage();
        } finally {
            deleteFolder(folder);
        }
        return new StackDrillReport(project, steps, paused, differences, failedChecks, failure);
    }

    private void compare(StatefulStack stack, ComposeProject file, Path folder, List<String> differences,
            List<StackDrillReport.Step> steps) {
        for (ComposeService service : file.services().values()) {
            ServiceRuntime restored = stack.runtimes().get(service.name());
            for (VolumeMount mount : service.volumes()) {
                if (!mount.named()) {
                    continue;
                }
                long t = System.nanoTime();
                Map<String, String> backup = new TreeMap<>();
                Map<String, String> now = new TreeMap<>();
                try {
                    VolumeFiles.readTar(mount.source(), folder.resolve(mount.source() + ".tar"), false, backup);
                } catch (IOException | java.security.NoSuchAlgorithmException e) {
                    throw new StatefulException("cannot read the backup of volume " + mount.source() + ": " + e, e);
                }
                VolumeFiles.read(stack.context().engine, restored.containerId(), mount.source(), mount.target(), now);
                TreeSet<String> keys = new TreeSet<>(backup.keySet());
                keys.addAll(now.keySet());
                int before = differences.size();
                for (String key : keys) {
                    if (!Objects.equals(backup.get(key), now.get(key))) {
                        differences.add(service.name() + ": " + key + ": backup " + backup.get(key) + ", restored " + now.get(key));
                    }
                }
                step(steps, "compare", service.name(), t, "volume " + mount.source() + ": " + backup.size() + " entries, "
                        + (differences.size() - before) + " differences");
            }
        }
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
