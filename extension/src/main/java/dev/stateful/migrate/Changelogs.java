package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import java.util.List;

/**
 * Read a Liquibase changelog without a database: its tags, and a digest of its state for the
 * cache ({@link Migrations#checkTarget} checks a target before anything starts). Each first checks that Liquibase is on the classpath, so
 * that a project without {@code liquibase-core} gets a message naming the dependency instead of
 * a {@code NoClassDefFoundError}; nothing here touches a Liquibase class before that check.
 *
 * <pre>{@code
 * MigrationSettings settings = MigrationSettings.defaults().withChangelog("classpath:db/changelog/master.yaml");
 * List<String> tags = Changelogs.tags(settings);  // in changelog order
 * String digest = Changelogs.digest(settings);   // covers every included file
 * }</pre>
 */
public final class Changelogs {
    /** The Liquibase line Stateful is built and tested with. */
    public static final String TESTED_VERSION = "4.33.0";
    private static final String PROBE_CLASS = "liquibase.command.CommandScope";

    private Changelogs() {
    }

    /**
     * Return the tags of the changelog, in changelog order.
     *
     * @param settings settings with a changelog
     * @return the tags of its {@code tagDatabase} changesets
     */
    public static List<String> tags(MigrationSettings settings) {
        require(settings);
        return ChangelogFiles.tags(settings);
    }

    /**
     * Return a digest of the changelog and every file it includes or reads (sqlFile, loadData),
     * with each changeset's identity, contexts, labels and checksum: editing any of them gives
     * another digest.
     *
     * @param settings settings with a changelog
     * @return 64 hex digits
     */
    public static String digest(MigrationSettings settings) {
        require(settings);
        return ChangelogFiles.digest(settings);
    }

    static Migrator migrator(javax.sql.DataSource dataSource, String database, MigrationSettings settings,
                             SafetyObservation safety) {
        require(settings);
        return new LiquibaseMigrator(dataSource, database, settings, safety);
    }

    /**
     * Fail with a message naming the dependency when Liquibase 4.x is not on the classpath.
     *
     * @param settings settings with a changelog, for the message
     * @throws InvalidArgumentException when it is missing or of another major version
     */
    static void require(MigrationSettings settings) {
        String changelog = settings.changelog().orElseThrow(() -> new IllegalArgumentException("no changelog"));
        ClassLoader loader = Changelogs.class.getClassLoader();
        try {
            Class.forName(PROBE_CLASS, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new InvalidArgumentException("changelog '" + changelog + "' needs Liquibase, which is not on the "
                    + "test classpath; expected org.liquibase:liquibase-core 4.x. Fix: add the test dependency "
                    + "org.liquibase:liquibase-core:" + TESTED_VERSION + " (Maven: <scope>test</scope>; Gradle: "
                    + "testImplementation).");
        }
        String version = version(loader);
        if (version != null && !version.startsWith("4.")) {
            throw new InvalidArgumentException("changelog '" + changelog + "' needs Liquibase 4.x, but liquibase-core "
                    + version + " is on the classpath; expected org.liquibase:liquibase-core 4.x (5.x has another "
                    + "licence and API). Fix: pin org.liquibase:liquibase-core:" + TESTED_VERSION
                    + " (Spring Boot: the property liquibase.version).");
        }
    }

    private static String version(ClassLoader loader) {
        try {
            return String.valueOf(Class.forName("liquibase.util.LiquibaseUtil", true, loader)
                    .getMethod("getBuildVersion").invoke(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
