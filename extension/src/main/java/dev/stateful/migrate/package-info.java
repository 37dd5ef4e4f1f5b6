/**
 * Migrations with Flyway: {@link dev.stateful.migrate.Migrations} runs a migration set to a target
 * version, {@link dev.stateful.migrate.MigrationSettings} says where the scripts are and how to run
 * them, {@link dev.stateful.migrate.MigrationResult} says what was applied. Flyway is used only here.
 *
 * <p>Each migration is observed from a second session while it runs
 * ({@link dev.stateful.migrate.MigrationStep}: locks, rewrites, blocked reads and writes), and
 * what the application would have felt is named as a {@link dev.stateful.migrate.Hazard}.
 */
package dev.stateful.migrate;
