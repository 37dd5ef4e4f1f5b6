package dev.stateful.migrate;

import dev.stateful.error.MigrationException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrate with Flyway: the only class of Stateful that runs Flyway. Before migrating it checks
 * what Flyway would only half report: a target unknown or below the current version, an applied
 * migration whose script changed since (checksum mismatch), and a failed migration left by an
 * earlier run. Each migration is observed from a second session while it runs.
 */
final class FlywayMigrator implements Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(FlywayMigrator.class);
    private static final String TRANSACTIONAL_LOCK = "flyway.postgresql.transactional.lock";

    private final DataSource dataSource;
    private final String database;
    private final MigrationSettings settings;
    private final SafetyObservation safety;
    private final FlywayHistory history;

    FlywayMigrator(DataSource dataSource, String database, MigrationSettings settings, SafetyObservation safety) {
        this.dataSource = dataSource;
        this.database = database;
        this.settings = settings;
        this.safety = safety;
        this.history = new FlywayHistory(settings);
    }

    @Override
    public Optional<String> schemaVersion() {
        try (Connection c = dataSource.getConnection()) {
            return history.currentVersion(c);
        } catch (SQLException e) {
            throw new MigrationException("Cannot read the schema version of database '" + database + "' from "
                    + settings.table() + ": " + e.getMessage() + ". Fix: check that the server runs.", e);
        }
    }

    @Override
    public List<Migration> pendingMigrations() {
        checkLocations();
        MigrationInfo[] pending = call("read the pending migrations of",
                () -> flyway(null, null, null, "read").info().pending());
        List<Migration> result = new ArrayList<>();
        for (MigrationInfo info : pending) {
            result.add(describe(info));
        }
        return result;
    }

    @Override
    public List<String> availableVersions() {
        checkLocations();
        return availableVersions(call("read the migrations of", () -> flyway(null, null, null, "read").info().all()));
    }

    /** Run Flyway's repair: remove failed entries from the history and record the current checksums. */
    void repair() {
        checkLocations();
        call("repair", () -> flyway(null, null, null, "repair").repair());
        LOG.info("Repaired {} of database {}", settings.table(), database);
    }

    @Override
    public MigrationResult migrate(String target) {
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
                throw FlywayFailures.explain(dataSource, database, settings, history, failed,
                        progress.failedInTransaction(), e, observer.failedStep(),
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
        TargetChecks.checkVersionKnown(target, settings.locations(), availableVersions(all),
                Arrays.stream(all).anyMatch(i -> i.getState().isApplied() && wanted.equals(i.getVersion())));
        TargetChecks.checkForward(database, target, current);
    }

    private static List<String> availableVersions(MigrationInfo[] all) {
        Map<MigrationVersion, String> versions = new LinkedHashMap<>();
        Arrays.stream(all)
                .filter(i -> i.isVersioned() && i.getState().isResolved() && i.getVersion() != null)
                .sorted((a, b) -> a.getVersion().compareTo(b.getVersion()))
                .forEach(i -> versions.putIfAbsent(i.getVersion(), i.getVersion().getVersion()));
        return List.copyOf(versions.values());
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
        return context != null ? context : FlywayMigrator.class.getClassLoader();
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
