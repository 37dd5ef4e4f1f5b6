/**
 * Logical dumps: restore a {@code pg_dump} file of any format ({@link dev.stateful.dump.DumpFormat},
 * detected from the content) from a path or the classpath ({@link dev.stateful.dump.DumpSource}), with
 * {@link dev.stateful.dump.RestoreOptions} for roles, globals, ownership and jobs; and write dumps.
 * {@code pg_dump}, {@code pg_restore} and {@code psql} run inside the container, never on the host.
 */
package dev.stateful.dump;
