/**
 * Migrations with Flyway, a Liquibase changelog or the application's migrator image:
 * {@link dev.stateful.migrate.Migrations} runs a migration set to a target version or tag,
 * {@link dev.stateful.migrate.MigrationSettings} says where the migrations are and how to run
 * them, {@link dev.stateful.migrate.MigrationResult} says what was applied, and
 * {@link dev.stateful.migrate.Changelogs} checks a changelog before anything starts. Flyway and
 * Liquibase are used only here; Liquibase is optional and touched only when a changelog is used.
 */
package dev.stateful.migrate;
