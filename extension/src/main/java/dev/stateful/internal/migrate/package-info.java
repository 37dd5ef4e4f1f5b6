/**
 * Not API: the seam through which a handle creates the migrations of its own server
 * ({@link dev.stateful.internal.migrate.MigrationsAccess}), so that no public member of
 * {@code dev.stateful.migrate} takes an internal type. The tools themselves (Flyway, Liquibase,
 * migrator images) are package-private in {@code dev.stateful.migrate}.
 */
package dev.stateful.internal.migrate;
