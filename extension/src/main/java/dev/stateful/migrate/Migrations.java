package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.MigrationException;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.internal.Server;
import dev.stateful.internal.migrate.MigrationsAccess;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Run the migrations of one database, whichever tool the settings name: Flyway (the locations),
 * a Liquibase changelog ({@link MigrationSettings#withChangelog}: targets are tags, the schema
 * version is the most recent tag applied, or the last changeset's id when none was) or the
 * application's migrator image ({@link MigrationSettings#withImage}: run as a one-off container
 * on a private network with the server; it keeps its own history, so {@code schemaVersion()} is
 * empty and {@code pendingMigrations()} fails). The three are implementations of one
 * {@code Migrator}; this class picks the one the settings name and checks the target once.
 *
 * <pre>{@code
 * db.migrations().migrateTo("2");                  // settings from the builder, or the defaults
 * db.migrations().withSettings(MigrationSettings.defaults().withLocations("classpath:db/legacy")).migrate();
 * }</pre>
 *
 * <p>Before migrating it checks what the tools would only half report: an unknown target (the
 * message lists the versions or tags there are), a target below the current version, an applied
 * Flyway migration whose script changed since (checksum mismatch), and a failed migration left by
 * an earlier run. A failing script raises {@link MigrationFailedException}, which says whether the
 * schema was left half applied. Each applied migration is logged with its timing.
 *
 * <p>Each Flyway migration and Liquibase changeset is observed from a second session while it
 * runs (unless {@link SafetyObservation#off()}): the result's {@link MigrationResult#steps()} tell
 * which table locks it took and for how long, which tables it rewrote and how long reads and
 * writes would have waited, and {@link MigrationResult#hazards()} what the live application would
 * have felt. A failing migration raises an {@link ObservedMigrationFailedException}: its
 * {@link ObservedMigrationFailedException#steps() steps()} are those of the migrations applied
 * before the failure and of the failed one, whose observation its message also holds.
 *
 * <p>A migrator image needs the migrations of a handle ({@code db.migrations()}), which knows the
 * server; those made from a {@link DataSource} run Flyway and Liquibase only.
 */
public final class Migrations {
    static {
        MigrationsAccess.install((Server server, DataSource dataSource, MigrationSettings settings,
                SafetyObservation observation) -> new Migrations(Objects.requireNonNull(server, "server"), dataSource,
                        server.database(), new AtomicReference<>(Objects.requireNonNull(settings, "settings")),
                        observation));
    }

    private final DataSource dataSource;
    private final String database;
    private final AtomicReference<MigrationSettings> settings;
    private final Server server;
    private final SafetyObservation safety;

    /**
     * Create migrations for a database reached through a {@link DataSource} (Flyway and
     * Liquibase; a migrator image needs {@code db.migrations()}).
     *
     * @param dataSource connects to the database
     * @param database the database name, for messages
     * @param settings where the migrations are and how to run them
     */
    public Migrations(DataSource dataSource, String database, MigrationSettings settings) {
        this(null, dataSource, database, new AtomicReference<>(Objects.requireNonNull(settings, "settings")),
                SafetyObservation.defaults());
    }

    private Migrations(Server server, DataSource dataSource, String database,
                       AtomicReference<MigrationSettings> settings, SafetyObservation safety) {
        this.server = server;
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.database = Objects.requireNonNull(database, "database");
        this.settings = settings;
        this.safety = Objects.requireNonNull(safety, "safety");
    }

    /**
     * Return the settings.
     *
     * @return the settings these migrations use
     */
    public MigrationSettings settings() {
        return settings.get();
    }

    /**
     * Replace the settings these migrations use from now on; on {@code db.migrations()} that is
     * also what the handle's {@code migrate()} and {@code migrateTo(...)} use. The JUnit extension
     * uses it for the time of a method annotated with {@code @MigratedTo}.
     *
     * @param other where the migrations are and how to run them
     * @return the settings used until now, to put back
     */
    public MigrationSettings use(MigrationSettings other) {
        return settings.getAndSet(Objects.requireNonNull(other, "settings"));
    }

    /**
     * Return the same database's migrations with other settings, leaving these unchanged.
     *
     * <pre>{@code
     * db.migrations().withSettings(MigrationSettings.defaults().withLocations("classpath:db/legacy")).migrateTo("3");
     * }</pre>
     *
     * @param other where the migrations are and how to run them
     * @return new migrations; these are unchanged
     */
    public Migrations withSettings(MigrationSettings other) {
        return new Migrations(server, dataSource, database, new AtomicReference<>(Objects.requireNonNull(other,
                "settings")), safety);
    }

    /**
     * Return the same database's migrations, observed as {@code other} says.
     *
     * @param other whether to observe, and the limit of {@link HazardKind#LONG_EXCLUSIVE_LOCK}
     * @return new migrations; these are unchanged
     */
    public Migrations withObservation(SafetyObservation other) {
        return new Migrations(server, dataSource, database, new AtomicReference<>(settings.get()), other);
    }

    /**
     * Migrate to the settings' target, or to the latest version when it has none; pending
     * repeatable Flyway migrations run too.
     *
     * @return what was applied
     * @throws ObservedMigrationFailedException when a script fails; it holds the run's steps until then
     * @throws MigrationException when the target is unknown or below the current version, an
     *     applied script changed, or an earlier migration failed
     */
    public MigrationResult migrate() {
        MigrationSettings current = settings.get();
        return migrator(current).migrate(current.target().orElse(null));
    }

    /**
     * Migrate to a target: a Flyway version, a Liquibase tag or a migrator image's target
     * (pending repeatable Flyway migrations run too).
     *
     * @param target such as {@code 3} (Flyway), {@code v3} (a Liquibase tag), or {@code latest}
     * @return what was applied
     * @throws ObservedMigrationFailedException when a script fails; it holds the run's steps until then
     * @throws MigrationException when the target is unknown or below the current version, an
     *     applied script changed, or an earlier migration failed
     * @throws InvalidArgumentException when the target is not a version (Flyway) or is blank
     */
    public MigrationResult migrateTo(String target) {
        MigrationSettings current = settings.get();
        String checked = TargetChecks.parse("migrateTo", target, current.source().kind());
        return migrator(current).migrate(MigrationSettings.LATEST.equals(checked) ? null : checked);
    }

    /**
     * Run the application's own migrator image against this database, as the deployment does
     * ({@code docker compose run --rm migrate}, an init container): a one-off container on a
     * private network with the server, given {@code DATABASE_URL}, {@code JDBC_URL} and the
     * {@code PG*} variables, with the settings' extra environment.
     *
     * <pre>{@code
     * db.migrations().migrateWith("acme/orders-migrator:1.5", "alembic", "upgrade", "head");
     * }</pre>
     *
     * @param image the migrator image, such as {@code acme/orders-migrator:1.5}
     * @param command the argv given to the image (its entrypoint stays); none keeps the image's own
     * @return the result: target {@code latest}, no list of applied migrations (the migrator keeps its own)
     * @throws MigrationFailedException when it exits with another code or runs past the command
     *     timeout; the message holds its output's last lines
     */
    public MigrationResult migrateWith(String image, String... command) {
        return withSettings(settings.get().withImage(image, command).withTarget(null)).migrate();
    }

    /**
     * Return the schema version the tool's history records: Flyway's highest version applied
     * successfully, or Liquibase's most recent tag (or last changeset's id).
     *
     * @return the version, or empty when there is no history or it records none (always empty
     *     for a migrator image, which keeps its own)
     */
    public Optional<String> schemaVersion() {
        return migrator(settings.get()).schemaVersion();
    }

    /**
     * Return the migrations the source holds that are not applied yet: Flyway's versioned ones
     * above the current version (whatever the settings' target), then the repeatable ones that
     * are new or changed; Liquibase's changesets not run yet.
     *
     * @return pending migrations in the order {@code migrate()} would run them
     * @throws MigrationException for a migrator image, which keeps its own history
     */
    public List<Migration> pendingMigrations() {
        return migrator(settings.get()).pendingMigrations();
    }

    /**
     * Return the targets the source holds: Flyway's versions or Liquibase's tags.
     *
     * @return versions in ascending order, or tags in changelog order
     */
    public List<String> availableVersions() {
        return migrator(settings.get()).availableVersions();
    }

    /**
     * Run Flyway's repair: remove failed entries from the history table and record the
     * current checksums of applied scripts. Use it after undoing a half-applied migration by
     * hand, or after a harmless edit of an applied script.
     *
     * @throws MigrationException when the settings name a Liquibase changelog or a migrator image
     */
    public void repair() {
        MigrationSettings current = settings.get();
        if (current.source().kind() != MigrationSource.Kind.FLYWAY) {
            throw new MigrationException("repair() is Flyway's; these migrations use " + (current.changelog().isPresent()
                    ? "Liquibase changelog '" + current.changelog().get() + "'" : "migrator image '"
                    + current.image().orElse("") + "'") + ". Fix: use the tool's own repair (Liquibase: "
                    + "clear-checksums, release-locks), or start from a fresh database.");
        }
        new FlywayMigrator(dataSource, database, current, safety).repair();
    }

    /**
     * Check a target before anything starts, without a database: its form, and whether the
     * source holds it (Flyway: the script names in the locations' directories, when they are
     * directories; Liquibase: Liquibase is on the classpath, the changelog is found and parsed and
     * has the tag). A migrator image's targets are its own business. Against a database the same
     * checks run again with its history (a baselined dump may hold a version no script has).
     *
     * @param settings the settings, which name the source
     * @param target the target, or {@code latest}
     * @throws InvalidArgumentException when the target is malformed, Liquibase is missing or the
     *     changelog is not found
     * @throws MigrationException when the source does not hold the target (the message lists what it holds)
     */
    public static void checkTarget(MigrationSettings settings, String target) {
        TargetChecks.checkBeforeStart(Objects.requireNonNull(settings, "settings"), target);
    }

    /**
     * Return the directories behind the settings' Flyway locations (each {@code filesystem:}
     * path and every classpath match), for example to cover every script in a cache key.
     *
     * @param settings the settings
     * @return the directories, some of which may not exist
     */
    public static List<Path> scriptDirectories(MigrationSettings settings) {
        return FlywayScripts.roots(settings.locations());
    }

    @Override
    public String toString() {
        return "Migrations[database=" + database + ", " + settings.get() + "]";
    }

    /** Return the tool the settings name. */
    private Migrator migrator(MigrationSettings current) {
        return switch (current.source().kind()) {
            case FLYWAY -> new FlywayMigrator(dataSource, database, current, safety);
            case LIQUIBASE -> Changelogs.migrator(dataSource, database, current, safety);
            case IMAGE -> {
                if (server == null) {
                    throw new MigrationException("Migrator image '" + current.image().orElse("") + "' needs the "
                            + "server it runs beside; these migrations were made from a DataSource only. Fix: use "
                            + "db.migrations() or db.migrations().migrateWith(image, command...) of a StatefulPostgres "
                            + "handle.");
                }
                yield new ImageMigrator(server, current);
            }
        };
    }
}
