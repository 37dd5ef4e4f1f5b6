/**
 * Migrations with Flyway: {@link dev.stateful.migrate.Migrations} runs a migration set to a target
 * version, {@link dev.stateful.migrate.MigrationSettings} says where the scripts are and how to run
 * them, {@link dev.stateful.migrate.MigrationResult} says what was applied. Flyway is used only here.
 */
package dev.stateful.migrate;
