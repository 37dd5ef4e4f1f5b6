package dev.stateful.stack;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.dump.DumpFormat;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.StatefulException;
import dev.stateful.internal.HandleArguments;
import dev.stateful.internal.Passwords;
import dev.stateful.internal.stack.ComposeService;
import dev.stateful.internal.stack.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Postgres service, run by a full {@link StatefulPostgres} handle on the stack's volume and joined
 * to the stack's network under the service's name. The login comes from the file's
 * {@code POSTGRES_USER}/{@code POSTGRES_PASSWORD}/{@code POSTGRES_DB} (a random password when it sets
 * none), kept for the stack's lifetime so that {@code up()} logs into the same volume.
 */
final class PostgresService extends ServiceRuntime {
    private static final Set<String> LOGIN = Set.of("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB");
    private static final String BASELINE = "stack-baseline";
    private static final String INIT_DIR = "/docker-entrypoint-initdb.d";
    private final String volumeKey;
    private final String username;
    private final String password;
    private final String database;
    private final Map<String, String> initScripts;
    private final Map<String, String> serverSettings;
    private StatefulPostgres handle;
    private Path baselineDump;
    private String image;

    PostgresService(StackContext stack, ComposeService definition, String dataDirectory, Path composeFile) {
        super(stack, definition);
        this.image = definition.image();
        Map<String, String> env = definition.environment();
        this.username = env.getOrDefault("POSTGRES_USER", "postgres");
        this.password = env.containsKey("POSTGRES_PASSWORD") ? env.get("POSTGRES_PASSWORD") : Passwords.random();
        this.database = env.getOrDefault("POSTGRES_DB", username);
        String key = null;
        this.initScripts = new LinkedHashMap<>();
        for (VolumeMount mount : definition.volumes()) {
            if (mount.named() && mount.target().equals(dataDirectory) && key == null) {
                key = mount.source();
            } else if (!mount.named() && (mount.target().equals(INIT_DIR) || mount.target().startsWith(INIT_DIR + "/"))) {
                readInitScripts(Path.of(mount.source()), initScripts);
            } else {
                throw refuse(composeFile, "the mount of '" + mount.source() + "' at '" + mount.target() + "' is not "
                        + "supported on a Postgres service; expected one named volume at its data directory ("
                        + dataDirectory + ") and init scripts under " + INIT_DIR + ".",
                        "mount the data volume at " + dataDirectory + " and nothing else.");
            }
        }
        if (key == null) {
            throw refuse(composeFile, "the service mounts no named volume at the image's data directory ("
                    + dataDirectory + "), so its data would live in the container only.",
                    "add for example 'pgdata:" + dataDirectory + "' and declare pgdata under the top-level volumes.");
        }
        if (!definition.entrypoint().isEmpty()) {
            throw new InvalidArgumentException("Compose file '" + composeFile + "', service '" + name() + "', key "
                    + "'entrypoint': not supported on a Postgres service; Stateful starts the server through the "
                    + "image's own entrypoint. Fix: remove 'entrypoint:' from the file the test reads.");
        }
        this.serverSettings = serverSettings(composeFile, definition.command());
        this.volumeKey = key;
    }

    /**
     * The settings of a command such as {@code postgres -c shared_buffers=64MB -c max_connections=50}
     * ({@code -c name=value}, {@code -cname=value} or {@code --name=value}); anything else is refused by name.
     */
    private Map<String, String> serverSettings(Path file, List<String> command) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (command.isEmpty()) {
            return settings;
        }
        String where = "Compose file '" + file + "', service '" + name() + "', key 'command': ";
        if (!command.get(0).equals("postgres")) {
            throw new InvalidArgumentException(where + "'" + command.get(0) + "' is not supported on a Postgres service; "
                    + "expected 'postgres' followed by '-c name=value' settings. Fix: start the command with postgres.");
        }
        for (int i = 1; i < command.size(); i++) {
            String arg = command.get(i);
            String setting;
            if (arg.equals("-c") && i + 1 < command.size()) {
                setting = command.get(++i);
            } else if (arg.startsWith("-c") && arg.length() > 2) {
                setting = arg.substring(2);
            } else if (arg.startsWith("--") && arg.contains("=")) {
                setting = arg.substring(2);
            } else {
                throw new InvalidArgumentException(where + "the argument '" + arg + "' is not supported; expected "
                        + "'-c name=value' settings only. Fix: write it as a setting, e.g. -c max_connections=50 for -N 50.");
            }
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new InvalidArgumentException(where + "the setting '" + setting + "' has no value; expected "
                        + "'-c name=value'. Fix: write for example -c shared_buffers=64MB.");
            }
            String name = setting.substring(0, eq).replace('-', '_');
            String value = setting.substring(eq + 1);
            try {
                settings.put(HandleArguments.serverSetting(name, value), value);
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException(where + e.getMessage());
            }
        }
        return settings;
    }

    private InvalidArgumentException refuse(Path file, String problem, String fix) {
        return new InvalidArgumentException("Compose file '" + file + "', service '" + name() + "', key 'volumes': "
                + problem + " Fix: " + fix);
    }

    private static void readInitScripts(Path source, Map<String, String> into) {
        try (Stream<Path> files = Files.isDirectory(source) ? Files.list(source).sorted() : Stream.of(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    into.put(file.getFileName().toString(), Files.readString(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    synchronized void up() {
        if (handle != null) {
            return;
        }
        StatefulPostgres.Builder builder = StatefulPostgres.builder().volume(stack.volumeNames.get(volumeKey))
                .removeVolumeOnClose(false).image(image).username(username).password(password).database(database);
        definition.environment().forEach((k, v) -> {
            if (!LOGIN.contains(k)) {
                builder.env(k, v);
            }
        });
        initScripts.forEach(builder::initScript);
        serverSettings.forEach(builder::serverSetting);
        handle = builder.start();
        joinNetwork();
    }

    private void joinNetwork() {
        stack.engine.connectToNetwork(stack.network, handle.containerId(), name());
    }

    @Override
    synchronized void down() {
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }

    @Override
    synchronized boolean isUp() {
        return handle != null;
    }

    StatefulPostgres handle() {
        if (handle == null) {
            throw new IllegalStateException(this + " is down; expected it up. Fix: call stack.up() first.");
        }
        return handle;
    }

    @Override
    public String containerId() {
        return handle().containerId();
    }

    @Override
    public int port(int containerPort) {
        if (containerPort != 5432) {
            throw new InvalidArgumentException("port(" + containerPort + ") on Postgres service '" + name() + "': "
                    + "expected 5432, the port Stateful publishes. Fix: use port(5432), or postgres(\"" + name()
                    + "\").jdbcUrl().");
        }
        return stack.engine.mappedPort(containerId(), containerPort);
    }

    @Override
    public synchronized void stop() {
        handle().stop();
    }

    @Override
    public synchronized void start() {
        handle().start();
    }

    @Override
    public synchronized void kill() {
        handle().kill();
    }

    @Override
    public synchronized void recreate(String newImage) {
        handle().recreate(newImage);
        image = newImage;
        joinNetwork();
    }

    /** A template snapshot for the fast reset, and a dump for a volume that {@code downWithVolumes()} replaced. */
    @Override
    synchronized void takeBaseline() {
        dropBaseline();
        handle().snapshot(BASELINE);
        try {
            baselineDump = Files.createTempFile("stateful-baseline-", ".dump");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        handle().dumps().dump(baselineDump, DumpFormat.CUSTOM);
    }

    @Override
    synchronized void resetToBaseline() {
        if (handle().snapshots().names().contains(BASELINE)) {
            handle().restore(BASELINE);
            return;
        }
        if (baselineDump == null) {
            throw new StatefulException("Stack " + stack.project + ": service '" + name() + "' has no baseline; "
                    + "expected takeBaseline() before resetToBaseline(). Fix: call takeBaseline() first.");
        }
        handle().restoreDump(baselineDump);
        handle().snapshot(BASELINE);
    }

    @Override
    synchronized void dropBaseline() {
        if (baselineDump != null) {
            VolumeFiles.delete(baselineDump);
            baselineDump = null;
        }
    }

    @Override
    Object fingerprint() {
        return DatabaseFingerprint.of(handle());
    }
}
