package dev.stateful.migrate;

import dev.stateful.error.EngineException;
import dev.stateful.error.MigrationException;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.internal.Server;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.engine.OneOffResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrate by running the application's own migrator image as a one-off container on a private
 * Docker network with the server, the way a deployment runs {@code docker compose run --rm
 * migrate} or an init container. Everything goes through the engine API: no host ports, no host
 * networking, so a remote engine works too.
 *
 * <p>The container gets {@code DATABASE_URL}, {@code JDBC_URL}, {@code PGHOST}, {@code PGPORT},
 * {@code PGUSER}, {@code PGPASSWORD}, {@code PGDATABASE} and {@code STATEFUL_TARGET}, then the
 * settings' extra environment. Exit code 0 is success; anything else, or running past the
 * command deadline, is a {@link MigrationFailedException} with the image, the argv, the exit code
 * and the output's last lines. The container and the network are removed in every case.
 */
final class ImageMigrator implements Migrator {
    /** The host name the server has on the private network. */
    static final String SERVER_ALIAS = "stateful-db";
    private static final Logger LOG = LoggerFactory.getLogger(ImageMigrator.class);
    private static final int TAIL_LINES = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Server server;
    private final MigrationSettings settings;

    ImageMigrator(Server server, MigrationSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    @Override
    public MigrationResult migrate(String target) {
        String image = settings.image().orElseThrow();
        String wanted = target == null ? MigrationSettings.LATEST : target;
        List<String> argv = settings.command();
        DockerEngine engine = server.engine();
        engine.image(image); // present, or pulled: an ImageException names it
        long started = System.nanoTime();
        Duration deadline = engine.commandTimeout();
        String network = "stateful-migrate-" + HexFormat.of().formatHex(randomBytes());
        LOG.info("Migrating database {} with image {} {} to {}", server.database(), image, argv, wanted);
        OneOffResult result;
        String networkId = engine.createNetwork(network, Labels.forNewResource(true));
        try {
            String containerId = server.containerId();
            engine.connectToNetwork(networkId, containerId, SERVER_ALIAS);
            try {
                try {
                    result = engine.runOnNetwork(image, argv, env(wanted), network, Labels.forNewResource(true),
                            deadline, TAIL_LINES);
                } catch (EngineException e) {
                    if (!String.valueOf(e.getMessage()).startsWith("cannot start container")) {
                        throw e;
                    }
                    throw new ObservedMigrationFailedException("Migrator image " + image + " with command " + argv
                            + " could not start (target " + wanted + ", database " + server.database() + "): "
                            + e.getMessage() + ". Fix: name a command the image has (its entrypoint stays; "
                            + "command is its argv), or give none to run the image's own.", image, wanted, null,
                            "not started", false, e, unobserved(started));
                }
            } finally {
                engine.disconnectFromNetwork(networkId, containerId);
            }
        } finally {
            engine.removeNetwork(networkId);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (result.timedOut() || result.exitCode() != 0) {
            String why = result.timedOut() ? "ran past the command deadline of " + deadline.toSeconds()
                    + " s and was killed" : "exited with code " + result.exitCode();
            String fix = result.timedOut() ? "raise stateful.command-timeout / STATEFUL_COMMAND_TIMEOUT if it is only "
                    + "slow, or find what it waits for in the output above" : "fix the migration the output names, "
                    + "then run the test again";
            throw new ObservedMigrationFailedException("Migrator image " + image + " with command " + argv + " " + why
                    + " (target " + wanted + ", database " + server.database() + "). Its last output lines:\n"
                    + indent(result.outputTail()) + "\nThe database is as the migrator left it (Stateful cannot "
                    + "tell what it applied). Fix: " + fix + ".", image, wanted, null,
                    "exit code " + result.exitCode(), true, null, unobserved(started));
        }
        LOG.info("Migrated database {} with image {} to {} in {} ms", server.database(), image, wanted, took.toMillis());
        LOG.debug("migrator output:\n{}", result.outputTail());
        return new MigrationResult(null, wanted, List.of(), took);
    }

    /** What a failed run of a migrator image tells: nothing but its duration (it is not observed). */
    private static MigrationResult unobserved(long started) {
        return new MigrationResult(null, null, List.of(), Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public Optional<String> schemaVersion() {
        return Optional.empty();
    }

    @Override
    public List<Migration> pendingMigrations() {
        throw unknowable("list the pending migrations");
    }

    @Override
    public List<String> availableVersions() {
        throw unknowable("list the versions");
    }

    private MigrationException unknowable(String what) {
        return new MigrationException("Cannot " + what + " of migrator image " + settings.image().orElse("") + ": a "
                + "migrator image keeps its own history, which Stateful cannot read. Fix: query the migrator's "
                + "history table with SQL (for example alembic_version or schema_migrations).");
    }

    /** The connection environment, then the settings' extra variables (they cannot replace these). */
    List<String> env(String target) {
        String user = server.username();
        String password = server.password();
        String database = server.database();
        List<String> env = new ArrayList<>();
        env.add("DATABASE_URL=" + databaseUrl(user, password, database));
        env.add("JDBC_URL=jdbc:postgresql://" + SERVER_ALIAS + ":5432/" + encode(database));
        env.add("PGHOST=" + SERVER_ALIAS);
        env.add("PGPORT=5432");
        env.add("PGUSER=" + user);
        env.add("PGPASSWORD=" + password);
        env.add("PGDATABASE=" + database);
        env.add("STATEFUL_TARGET=" + target);
        settings.env().forEach((k, v) -> env.add(k + "=" + v));
        return env;
    }

    /** {@code postgresql://user:password@stateful-db:5432/db}, user, password and database percent-encoded. */
    static String databaseUrl(String user, String password, String database) {
        return "postgresql://" + encode(user) + ":" + encode(password) + "@" + SERVER_ALIAS + ":5432/" + encode(database);
    }

    /** Percent-encode everything but RFC 3986's unreserved characters (so a space is %20, never +). */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }


    private static String indent(String text) {
        return text.isEmpty() ? "  (no output)" : "  " + text.replace("\n", "\n  ");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
