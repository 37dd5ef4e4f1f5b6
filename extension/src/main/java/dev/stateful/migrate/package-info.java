/**
 * Migrations with Flyway, a Liquibase changelog or the application's migrator image, three
 * implementations of one package-private {@code Migrator}:
 * {@link dev.stateful.migrate.Migrations} (what {@code db.migrations()} returns) runs a migration
 * set to a target version or tag and checks a target before anything starts,
 * {@link dev.stateful.migrate.MigrationSettings} says where the migrations are and how to run
 * them, {@link dev.stateful.migrate.MigrationResult} says what was applied, and
 * {@link dev.stateful.migrate.Changelogs} reads a changelog's tags and digest. Flyway and
 * Liquibase are used only here; Liquibase is optional and touched only when a changelog is used.
 * Everything else in the package (the tools, the observer, the messages) is package-private.
 *
 * <p>Each migration is observed from a second session while it runs
 * ({@link dev.stateful.migrate.MigrationStep}: locks, rewrites, blocked reads and writes, and when
 * each happened as {@link dev.stateful.migrate.TimelineSpan}s), and
 * what the application would have felt is named as a {@link dev.stateful.migrate.Hazard}.
 */
package dev.stateful.migrate;
