package dev.stateful.junit;

import dev.stateful.cache.CacheKey;
import dev.stateful.dump.DumpSource;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.Setting;
import dev.stateful.StatefulSettings;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.HandleAccess;
import dev.stateful.migrate.Changelogs;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.migrate.MigrationSettings;
import dev.stateful.migrate.Migrations;
import dev.stateful.migrate.ObservedMigrationFailedException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Build the state that {@link RestoredFrom @RestoredFrom} and {@link MigratedTo @MigratedTo} on a
 * class or method ask for: restore the dump, then migrate. Arguments are checked (the dump is
 * found, settings parse) when the preparation is read, before anything starts.
 */
final class Preparation {
    static final String LOCATIONS_PROPERTY_NAME = Setting.FLYWAY_LOCATIONS.property();

    private final String where;
    private final Path dump;
    private final String dumpSpec;
    private final RestoreOptions restoreOptions;
    private final MigrationSettings migrations;
    private final String target;
    private final MigrationReporting reporting;

    private Preparation(String where, Path dump, String dumpSpec, RestoreOptions restoreOptions,
                        MigrationSettings migrations, String target, MigrationReporting reporting) {
        this.where = where;
        this.dump = dump;
        this.dumpSpec = dumpSpec;
        this.restoreOptions = restoreOptions;
        this.migrations = migrations;
        this.target = target;
        this.reporting = reporting;
    }

    /** Read the annotations present directly on (or meta-present on) a class or method. */
    static Optional<Preparation> of(AnnotatedElement element, StatefulSettings run, ExtensionContext context) {
        Optional<RestoredFrom> restored = AnnotationSupport.findAnnotation(element, RestoredFrom.class);
        Optional<MigratedTo> migrated = AnnotationSupport.findAnnotation(element, MigratedTo.class);
        if (restored.isEmpty() && migrated.isEmpty()) {
            return Optional.empty();
        }
        String where = Describe.element(element);
        Path dump = null;
        String dumpSpec = null;
        RestoreOptions options = RestoreOptions.defaults();
        if (restored.isPresent()) {
            dumpSpec = restored.get().value();
            try {
                dump = DumpSource.of(dumpSpec).resolve();
                options = options.withRoles(restored.get().roles());
                if (!restored.get().globals().isEmpty()) {
                    options = options.withGlobals(DumpSource.of(restored.get().globals()).resolve());
                }
                if (!restored.get().clusterDatabase().isEmpty()) {
                    options = options.withClusterDatabase(restored.get().clusterDatabase());
                }
                if (restored.get().jobs() > 0) {
                    options = options.withJobs(restored.get().jobs());
                }
            } catch (RuntimeException e) {
                throw new ExtensionConfigurationException("@RestoredFrom on " + where + ": " + e.getMessage(), e);
            }
        }
        MigrationSettings settings = null;
        String target = null;
        if (migrated.isPresent()) {
            try {
                settings = settings(migrated.get(), run);
                target = migrated.get().value();
                // Before anything starts. With a dump, the dump's own history may hold the target (a
                // baselined production dump): only its form and the source are checked now, the
                // target itself once restored.
                Migrations.checkTarget(settings, restoresADump(element) ? MigrationSettings.LATEST : target);
            } catch (RuntimeException e) {
                throw new ExtensionConfigurationException("@MigratedTo on " + where + ": " + e.getMessage(), e);
            }
        }
        MigrationReporting reporting = migrated.map(m -> MigrationReporting.of(element, where, m.failOnHazard(), run, context))
                .orElse(null);
        return Optional.of(new Preparation(where, dump, dumpSpec, options, settings, target, reporting));
    }

    /**
     * Return the migration settings of a handle's own {@code migrate()} and {@code migrateTo(...)}:
     * those of the {@code @MigratedTo} on the same class or method when there is one, otherwise
     * the {@code stateful.flyway.*} configuration parameters (or Flyway's defaults).
     */
    static MigrationSettings handleSettings(Optional<Preparation> preparation, StatefulSettings run) {
        return preparation.map(p -> p.migrations).orElseGet(() -> settings(null, run));
    }

    private static MigrationSettings settings(MigratedTo annotation, StatefulSettings run) {
        MigrationSettings settings = run.migrationSettings();
        if (annotation == null) {
            return settings;
        }
        MigrationSourceChecks.check(annotation, settings);
        if (annotation.locations().length > 0) {
            settings = settings.withLocations(annotation.locations());
        }
        if (annotation.schemas().length > 0) {
            settings = settings.withSchemas(annotation.schemas());
        }
        if (annotation.placeholders().length > 0) {
            Map<String, String> placeholders = new LinkedHashMap<>(run.get(Setting.FLYWAY_PLACEHOLDERS));
            placeholders.putAll(keyValues("placeholders", annotation.placeholders()));
            settings = settings.withPlaceholders(placeholders);
        }
        settings = annotation.baselineOnMigrate() ? settings.withBaselineOnMigrate(true) : settings;
        if (!annotation.changelog().isBlank()) {
            settings = settings.withChangelog(annotation.changelog());
        }
        if (!annotation.image().isBlank()) {
            settings = settings.withImage(annotation.image(), annotation.command())
                    .withEnv(keyValues("env", annotation.env()));
        }
        if (!annotation.contexts().isBlank()) {
            settings = settings.withContexts(annotation.contexts());
        }
        return annotation.labels().isBlank() ? settings : settings.withLabels(annotation.labels());
    }

    /** Tell whether a dump is restored on this class or method, or on the class a method's state starts from. */
    private static boolean restoresADump(AnnotatedElement element) {
        if (AnnotationSupport.isAnnotated(element, RestoredFrom.class)) {
            return true;
        }
        Class<?> type = element instanceof java.lang.reflect.Method m ? m.getDeclaringClass() : null;
        for (; type != null; type = type.getEnclosingClass()) {
            if (AnnotationSupport.isAnnotated(type, RestoredFrom.class)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> keyValues(String what, String[] entries) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new InvalidArgumentException(what + " entry '" + entry + "' is invalid; expected key=value. "
                        + "Fix: write it as for example 'schema_owner=app'.");
            }
            map.put(entry.substring(0, eq).strip(), entry.substring(eq + 1));
        }
        return map;
    }

    /** Restore, then migrate, on a running handle whose migrations use this preparation's settings. */
    void apply(StatefulPostgres db) {
        if (dump != null) {
            db.dumps().restore(dump, restoreOptions);
        }
        if (migrations != null) {
            MigrationResult migrated;
            try {
                // The handle's migrations hold these settings already: given to its builder for a
                // class, set for the time of a method (WithVolumeExtension).
                migrated = db.migrations().migrateTo(target);
            } catch (ObservedMigrationFailedException e) {
                reporting.failed(e);
                throw e;
            }
            reporting.check(migrated);
        }
    }

    /** Return the key of the state this builds on a handle's image. */
    String cacheKey(StatefulPostgres db) {
        return cacheKey(db, db.database());
    }

    /**
     * Return the key of the state this builds on a handle's image, for a database name given
     * apart: on a shared server each class's database has a name of its own, the state is the same.
     */
    String cacheKey(StatefulPostgres db, String database) {
        CacheKey.Builder key = CacheKey.builder()
                .part("image-id", HandleAccess.server(db).engine().image(db.image()).id())
                .part("database", database)
                .part("username", db.username());
        if (dump != null) {
            key.file("dump", dump).part("restore-options", restoreOptions.toString());
            restoreOptions.globals().ifPresent(globals -> key.file("globals", globals));
        }
        if (migrations != null) {
            key.part("migration-settings", migrations.toString()).part("target", target);
            if (migrations.changelog().isPresent()) {
                key.part("liquibase-changelog", Changelogs.digest(migrations));
            } else if (migrations.image().isPresent()) {
                key.part("migrator-image-id", HandleAccess.server(db).engine().image(migrations.image().get()).id())
                        .part("migrator-command", String.join("\0", migrations.command()))
                        .part("migrator-env", migrations.env().toString());
            } else {
                List<Path> roots = Migrations.scriptDirectories(migrations);
                for (int i = 0; i < roots.size(); i++) {
                    key.file("migrations-" + i, roots.get(i));
                }
            }
        }
        return key.build();
    }

    /** Name the state for a method-level snapshot: {@code m_} and 12 hex digits of the annotations. */
    String snapshotName() {
        String description = dumpSpec + "|" + restoreOptions + "|" + migrations + "|" + target;
        return "m_" + CacheKey.builder().part("method-state", description).build().substring(0, 12);
    }

    /** Return the settings of the {@code @MigratedTo}, when there is one. */
    Optional<MigrationSettings> migrationSettings() {
        return Optional.ofNullable(migrations);
    }

    /** Return how the migrations' observation is reported, when there is a {@code @MigratedTo}. */
    Optional<MigrationReporting> reporting() {
        return Optional.ofNullable(reporting);
    }

    String where() {
        return where;
    }

    /** Name the annotations for messages: {@code @RestoredFrom on OrderTest.placesOrder()}. */
    String describe() {
        return (dumpSpec != null ? "@RestoredFrom" : "@MigratedTo") + " on " + where;
    }
}
