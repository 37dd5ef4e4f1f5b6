package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.MigrationException;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.internal.Server;
import dev.stateful.internal.pg.SqlIdentifiers;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run Flyway migrations against one database: the only place in Stateful that uses Flyway.
 *
 * <pre>{@code
 * db.migrations().migrateTo("2");                  // settings from the builder, or the defaults
 * db.migrations(MigrationSettings.defaults().withLocations("classpath:db/legacy")).migrate();
 * }</pre>
 *
 * <p>Before migrating it checks what Flyway would only half report: an unknown target
 * (the message lists the versions there are), a target below the current version, an applied
 * migration whose script changed since (checksum mismatch), and a failed migration left by an
 * earlier run. A failing script raises {@link MigrationFailedException}, which says whether the
 * schema was left half applied. Each applied migration is logged with its timing.
 *
 * <p>The same verbs work for the other sources {@link MigrationSettings} can name: a Liquibase
 * changelog ({@link MigrationSettings#withChangelog}: targets are tags, the schema version is
 * the most recent tag applied, or the last changeset's id when none was) and the application's
 * migrator image ({@link MigrationSettings#withImage}: run as a one-off container on a private
 * network with the server; it keeps its own history, so {@code schemaVersion()} is empty and
 * {@code pendingMigrations()} fails). A migrator image needs migrations made from a handle
 * ({@code db.migrations()}), which knows the server.
 *
 * <p>Each Flyway migration is observed from a second session while it runs (unless
 * {@link SafetyObservation#off()}): the result's {@link MigrationResult#steps()} tell which
 * table locks it took and for how long, which tables it rewrote and how long reads and writes
 * would have waited, and {@link MigrationResult#hazards()} what the live application would have
 * felt. A failing migration raises an {@link ObservedMigrationFailedException}: its
 * {@link ObservedMigrationFailedException#steps() steps()} are those of the migrations applied
 * before the failure and of the failed one, whose observation its message also holds.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final String TRANSACTIONAL_LOCK = "flyway.postgresql.transactional.lock";

    private final DataSource dataSource;
    private final String database;
    private final MigrationSettings settings;
    private final Server server;
    private final SafetyObservation safety;

    /**
     * Create migrations for a database.
     *
     * @param dataSource connects to the database
     * @param database the database name, for messages
     * @param settings where the migrations are and how to run them
     */
    public Migrations(DataSource dataSource, String database, MigrationSettings settings) {
        this(null, dataSource, database, settings, SafetyObservation.defaults());
    }

    /**
     * Create migrations for a server's database: these can also run a migrator image.
     *
     * @param server the server (not API: {@code db.migrations()} passes it)
     * @param dataSource connects to its database
     * @param settings where the migrations are and how to run them
     */
    public Migrations(Server server, DataSource dataSource, MigrationSettings settings) {
        this(Objects.requireNonNull(server, "server"), dataSource, server.database(), settings,
                SafetyObservation.defaults());
    }

    private Migrations(Server server, DataSource dataSource, String database, MigrationSettings settings,
                       SafetyObservation safety) {
        this.server = server;
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.database = Objects.requireNonNull(database, "database");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.safety = Objects.requireNonNull(safety, "safety");
    }

    /**
     * Return the settings.
     *
     * @return the settings these migrations use
     */
    public MigrationSettings settings() {
        return settings;
    }

    /**
     * Return the same database's migrations with other settings.
     *
     * <pre>{@code
     * db.migrations().withSettings(MigrationSettings.defaults().withLocations("classpath:db/legacy")).migrateTo("3");
     * }</pre>
     *
     * @param other where the migrations are and how to run them
     * @return new migrations; these are unchanged
     */
    public Migrations withSettings(MigrationSettings other) {
        return new Migrations(server, dataSource, database, other, safety);
    }

    /**
     * Return the same database's migrations, observed as {@code other} says.
     *
     * @param other whether to observe, and the limit of {@link HazardKind#LONG_EXCLUSIVE_LOCK}
     * @return new migrations; these are unchanged
     */
    public Migrations withObservation(SafetyObservation other) {
        return new Migrations(server, dataSource, database, settings, other);
    }

    /**
     * Migrate to the settings' target, or to the latest version when it has none; pending
     * repeatable migrations run too.
     *
     * @return what was applied
     * @throws ObservedMigrationFailedException when a script fails; it holds the run's steps until then
     * @throws MigrationException when the target is unknown or below the current version, an
     *     applied script changed, or an earlier migration failed
     */
    public MigrationResult migrate() {
        Migrator other = other();
        if (other != null) {
            return other.migrate(settings.target().orElse(null));
        }
        return run(settings.target().orElse(null));
    }

    /**
     * Migrate to a version (pending repeatable migrations run too).
     *
     * @param version such as {@code 3}, or {@code latest}
     * @return what was applied
     * @throws ObservedMigrationFailedException when a script fails; it holds the run's steps until then
     * @throws MigrationException when the version is unknown or below the current version, an
     *     applied script changed, or an earlier migration failed
     * @throws InvalidArgumentException when the version is not a version
     */
    public MigrationResult migrateTo(String version) {
        Migrator other = other();
        if (other != null) {
            String target = MigrationSource.checkTarget("migrateTo", version);
            return other.migrate(MigrationSettings.LATEST.equals(target) ? null : target);
        }
        String checked = MigrationSettings.checkVersion("migrateTo", version, true);
        return run(MigrationSettings.LATEST.equals(checked) ? null : checked);
    }

    /**
     * Return the schema version: the highest version applied successfully, as recorded in the
     * history table.
     *
     * @return the version, or empty when there is no history table or it records no version
     */
    public Optional<String> schemaVersion() {
        Migrator other = other();
        if (other != null) {
            return other.schemaVersion();
        }
        try (Connection c = dataSource.getConnection()) {
            return currentVersion(c);
        } catch (SQLException e) {
            throw new MigrationException("Cannot read the schema version of database '" + database + "' from "
                    + settings.table() + ": " + e.getMessage() + ". Fix: check that the server runs.", e);
        }
    }

    /**
     * Return the migrations the locations hold that are not applied yet: the versioned ones above
     * the current version (whatever the settings' target), then the repeatable ones that are
     * new or changed.
     *
     * @return pending migrations in the order {@code migrate()} would run them
     */
    public List<Migration> pendingMigrations() {
        Migrator other = other();
        if (other != null) {
            return other.pendingMigrations();
        }
        checkLocations();
        MigrationInfo[] pending = call("read the pending migrations of",
                () -> flyway(null, null, null, "read").info().pending());
        List<Migration> result = new ArrayList<>();
        for (MigrationInfo info : pending) {
            result.add(describe(info));
        }
        return result;
    }

    /**
     * Return the versions of all versioned migrations the locations hold.
     *
     * @return versions in ascending order
     */
    public List<String> availableVersions() {
        Migrator other = other();
        if (other != null) {
            return other.availableVersions();
        }
        checkLocations();
        return availableVersions(call("read the migrations of", () -> flyway(null, null, null, "read").info().all()));
    }

    /**
     * Check a target version against the versions found in the locations without a database
     * (for example by listing the script files), so that an unknown target is reported before
     * anything starts.
     *
     * @param target such as {@code 3}, or {@code latest}
     * @param locations the locations, for the message
     * @param versions the versions the locations hold
     * @throws MigrationException when the target is neither {@code latest} nor one of the versions
     */
    public static void checkTargetKnown(String target, List<String> locations, List<String> versions) {
        if (MigrationSettings.LATEST.equalsIgnoreCase(target)) {
            return;
        }
        MigrationVersion wanted = MigrationVersion.fromVersion(target);
        if (versions.stream().noneMatch(v -> MigrationVersion.fromVersion(v).equals(wanted))) {
            List<String> sorted = versions.stream().map(MigrationVersion::fromVersion).distinct().sorted()
                    .map(MigrationVersion::getVersion).toList();
            throw new MigrationException(MigrationMessages.unknownTarget(target, locations, sorted));
        }
    }

    /**
     * Run Flyway's repair: remove failed entries from the history table and record the
     * current checksums of applied scripts. Use it after undoing a half-applied migration by
     * hand, or after a harmless edit of an applied script.
     */
    public void repair() {
        if (settings.source().kind() != MigrationSource.Kind.FLYWAY) {
            throw new MigrationException("repair() is Flyway's; these migrations use " + (settings.changelog().isPresent()
                    ? "Liquibase changelog '" + settings.changelog().get() + "'" : "migrator image '"
                    + settings.image().orElse("") + "'") + ". Fix: use the tool's own repair (Liquibase: "
                    + "clear-checksums, release-locks), or start from a fresh database.");
        }
        checkLocations();
        call("repair", () -> flyway(null, null, null, "repair").repair());
        LOG.info("Repaired {} of database {}", settings.table(), database);
    }

    @Override
    public String toString() {
        return "Migrations[database=" + database + ", " + settings + "]";
    }

    // ---------------------------------------------------------------- internals

    /** Return the migrator of a Liquibase or image source, or {@code null} for Flyway (handled here). */
    private Migrator other() {
        return switch (settings.source().kind()) {
            case FLYWAY -> null;
            case LIQUIBASE -> Changelogs.migrator(dataSource, database, settings, safety);
            case IMAGE -> {
                if (server == null) {
                    throw new MigrationException("Migrator image '" + settings.image().orElse("") + "' needs the "
                            + "server it runs beside; these migrations were made from a DataSource only. Fix: use "
                            + "db.migrations() or db.migrateWith(image, command...) of a StatefulPostgres handle.");
                }
                yield new ImageMigrator(server, settings);
            }
        };
    }

    private MigrationResult run(String target) {
        checkLocations();
        long started = System.nanoTime();
        MigrationInfo[] all = call("read the migrations of", () -> flyway(null, null, null, "read").info().all());
        checkHistory(all);
        String before = schemaVersion().orElse(null);
        if (target != null) {
            checkTarget(target, before, all);
            if (before != null && MigrationVersion.fromVersion(target).equals(MigrationVersion.fromVersion(before))) {
                // Also a version only the history holds (a baseline, a script since deleted): nothing to run.
                LOG.info("Database {} is at version {} already: nothing to migrate", database, before);
                return new MigrationResult(before, before, List.of(), Duration.ofNanos(System.nanoTime() - started));
            }
        }
        ProgressCallback progress = new ProgressCallback(database);
        List<MigrationStep> steps;
        try (SafetyObserver observer = SafetyObserver.open(dataSource, database, safety, true, settings.table())) {
            Flyway flyway = flyway(target, progress, new FlywayObserverCallback(observer), "migrate");
            LOG.info("Migrating database {} from {} to {} with {}", database, before == null ? "no version" : before,
                    target == null ? "the latest version" : "version " + target, settings.locations());
            try {
                flyway.migrate();
            } catch (FlywayException e) {
                List<MigrationStep> observed = observer.finish();
                Migration failed = progress.failed();
                if (failed == null) {
                    throw new MigrationException(MigrationMessages.flywayFailure("migrate", database,
                            settings.locations(), e.getMessage()), e);
                }
                throw failure(failed, progress.failedInTransaction(), e, observer.failedStep(),
                        new MigrationResult(before, null, progress.applied(), Duration.ofNanos(System.nanoTime()
                                - started), observed));
            }
            steps = observer.finish();
        }
        steps.forEach(step -> step.hazards().forEach(h -> LOG.warn("Migration hazard on database {}: {}", database, h)));
        String after = schemaVersion().orElse(null);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        List<Migration> applied = progress.applied();
        LOG.info("Migrated database {} from {} to {}: {} migration(s) in {} ms", database,
                before == null ? "no version" : before, after == null ? "no version" : after, applied.size(),
                took.toMillis());
        return new MigrationResult(before, after, applied, took, steps);
    }

    private void checkHistory(MigrationInfo[] all) {
        for (MigrationInfo info : all) {
            MigrationState state = info.getState();
            if (state.isApplied() && state.isFailed()) {
                throw new MigrationException(MigrationMessages.failedEarlier(database, describe(info),
                        settings.table()));
            }
        }
        for (MigrationInfo info : all) {
            if (info.isVersioned() && info.getState() == MigrationState.SUCCESS && info.getResolvedChecksum() != null
                    && !Objects.equals(info.getAppliedChecksum(), info.getResolvedChecksum())) {
                throw new MigrationException(MigrationMessages.checksumMismatch(database, describe(info),
                        info.getAppliedChecksum(), info.getResolvedChecksum(), settings.table(),
                        settings.locations()));
            }
        }
    }

    private void checkTarget(String target, String current, MigrationInfo[] all) {
        MigrationVersion wanted = MigrationVersion.fromVersion(target);
        List<String> available = availableVersions(all);
        boolean known = available.stream().anyMatch(v -> MigrationVersion.fromVersion(v).equals(wanted))
                || Arrays.stream(all).anyMatch(i -> i.getState().isApplied() && wanted.equals(i.getVersion()));
        if (!known) {
            throw new MigrationException(MigrationMessages.unknownTarget(target, settings.locations(), available));
        }
        if (current != null && wanted.compareTo(MigrationVersion.fromVersion(current)) < 0) {
            throw new MigrationException(MigrationMessages.backwards(database, target, current));
        }
    }

    private static List<String> availableVersions(MigrationInfo[] all) {
        Map<MigrationVersion, String> versions = new LinkedHashMap<>();
        Arrays.stream(all)
                .filter(i -> i.isVersioned() && i.getState().isResolved() && i.getVersion() != null)
                .sorted((a, b) -> a.getVersion().compareTo(b.getVersion()))
                .forEach(i -> versions.putIfAbsent(i.getVersion(), i.getVersion().getVersion()));
        return List.copyOf(versions.values());
    }

    /** The failure of a migration; {@code run} is what the run did until then (its {@code toVersion} is read here). */
    private ObservedMigrationFailedException failure(Migration migration, boolean inTransaction, FlywayException e,
                                             MigrationStep observed, MigrationResult run) {
        SQLException sql = find(e, SQLException.class);
        FlywaySqlScriptException script = find(e, FlywaySqlScriptException.class);
        String sqlState = sql == null ? null : sql.getSQLState();
        String message = postgresMessage(sql, e);
        int line = script == null ? -1 : script.getLineNumber();
        String statement = script == null ? null : script.getStatement();
        String current = null;
        boolean recordedFailed = false;
        List<String> invalidIndexes = List.of();
        try (Connection c = dataSource.getConnection()) {
            current = currentVersion(c).orElse(null);
            recordedFailed = recordsFailure(c);
            invalidIndexes = invalidIndexes(c);
        } catch (SQLException | RuntimeException ignored) {
            LOG.debug("cannot inspect database {} after the failed migration", database, ignored);
        }
        boolean halfApplied = !inTransaction || recordedFailed;
        String text = MigrationMessages.failed(database, migration, sqlState, message, line, statement, halfApplied,
                current, halfApplied ? invalidIndexes : List.of(), settings.table());
        if (observed != null) {
            text += "\nObserved until it failed: " + observed;
            for (Hazard h : observed.hazards()) {
                text += "\n  - " + h;
            }
        }
        return new ObservedMigrationFailedException(text, migration.script(), migration.version(), sqlState, message,
                halfApplied, e, new MigrationResult(run.fromVersion(), current, run.applied(), run.duration(),
                run.steps()));
    }

    private static String postgresMessage(SQLException sql, FlywayException e) {
        if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage server = p.getServerErrorMessage();
            String detail = server.getDetail() == null ? "" : " (" + server.getDetail() + ")";
            return server.getMessage() + detail;
        }
        if (sql != null && sql.getMessage() != null) {
            return sql.getMessage().replaceFirst("^ERROR:\\s*", "");
        }
        return String.valueOf(e.getMessage());
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private Optional<String> currentVersion(Connection c) throws SQLException {
        Optional<String> table = historyTable(c);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        MigrationVersion best = null;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM " + table.get()
                        + " WHERE success AND version IS NOT NULL AND type <> 'DELETE'")) {
            while (rs.next()) {
                MigrationVersion v = MigrationVersion.fromVersion(rs.getString(1));
                if (best == null || v.compareTo(best) > 0) {
                    best = v;
                }
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.getVersion());
    }

    private boolean recordsFailure(Connection c) throws SQLException {
        Optional<String> table = historyTable(c);
        if (table.isEmpty()) {
            return false;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.get() + " WHERE NOT success")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    private static List<String> invalidIndexes(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT format('%I.%I', n.nspname, ic.relname) FROM pg_index i "
                        + "JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace "
                        + "WHERE NOT i.indisvalid ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** The quoted, schema-qualified history table, or empty when it does not exist. */
    private Optional<String> historyTable(Connection c) throws SQLException {
        String schema;
        if (settings.schemas().isEmpty()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                schema = rs.next() ? rs.getString(1) : null;
            }
            if (schema == null) {
                return Optional.empty();
            }
        } else {
            schema = settings.schemas().get(0);
        }
        String qualified = SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(settings.table());
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass(" + SqlIdentifiers.literal(qualified) + ")")) {
            return rs.next() && rs.getString(1) != null ? Optional.of(qualified) : Optional.empty();
        }
    }

    private void checkLocations() {
        ClassLoader loader = classLoader();
        for (String location : settings.locations()) {
            if (location.startsWith("filesystem:")) {
                Path dir = Path.of(location.substring("filesystem:".length()));
                if (!Files.isDirectory(dir)) {
                    throw new MigrationException(MigrationMessages.missingLocation(location, "no directory "
                            + dir.toAbsolutePath()));
                }
            } else if (!location.contains("*")) {
                String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
                path = path.replaceFirst("^/+", "");
                URL url = loader.getResource(path);
                if (url == null) {
                    throw new MigrationException(MigrationMessages.missingLocation(location, "no directory '" + path
                            + "' on the classpath"));
                }
            }
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Migrations.class.getClassLoader();
    }

    private Flyway flyway(String target, ProgressCallback callback, FlywayObserverCallback observer, String what) {
        return call(what, () -> {
            // A transactional advisory lock keeps a transaction open on Flyway's second connection,
            // and CREATE INDEX CONCURRENTLY waits for it forever: take a session-level lock instead.
            FluentConfiguration config = Flyway.configure(classLoader())
                    .configuration(Map.of(TRANSACTIONAL_LOCK, "false"))
                    .dataSource(dataSource)
                    .locations(settings.locations().toArray(String[]::new))
                    .placeholders(settings.placeholders())
                    .baselineOnMigrate(settings.baselineOnMigrate())
                    .baselineVersion(settings.baselineVersion())
                    .table(settings.table())
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    .cleanDisabled(true);
            if (!settings.schemas().isEmpty()) {
                config.schemas(settings.schemas().toArray(String[]::new));
            }
            if (target != null) {
                config.target(target);
            }
            if (callback != null) {
                config.callbacks(callback, observer);
            }
            return config.load();
        });
    }

    private interface FlywayCall<T> {
        T run();
    }

    private <T> T call(String what, FlywayCall<T> call) {
        try {
            return call.run();
        } catch (FlywayException e) {
            throw new MigrationException(MigrationMessages.flywayFailure(what, database, settings.locations(),
                    e.getMessage()), e);
        }
    }

    static Migration describe(MigrationInfo info) {
        MigrationVersion version = info.getVersion();
        String script = info.getScript();
        int slash = script == null ? -1 : script.lastIndexOf('/');
        return new Migration(version == null ? null : version.getVersion(), info.getDescription(),
                slash >= 0 ? script.substring(slash + 1) : script);
    }
}
