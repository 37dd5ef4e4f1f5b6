package dev.stateful.migrate;

import java.util.List;
import java.util.Optional;

/**
 * One migration tool behind {@link Migrations}: Flyway, a Liquibase changelog and a migrator
 * image are its three implementations; {@code Migrations} picks the one the settings name.
 */
interface Migrator {
    /**
     * Migrate to a target.
     *
     * @param target a tag or target, or {@code null} for the latest
     * @return what was applied
     */
    MigrationResult migrate(String target);

    /**
     * Return the schema version the tool's history records.
     *
     * @return the version, or empty
     */
    Optional<String> schemaVersion();

    /**
     * Return what is not applied yet, in order.
     *
     * @return the pending migrations
     */
    List<Migration> pendingMigrations();

    /**
     * Return the targets the source holds, in order.
     *
     * @return tags or versions
     */
    List<String> availableVersions();
}
