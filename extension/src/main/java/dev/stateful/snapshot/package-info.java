/**
 * Fresh state between tests: database snapshots (template databases, pooled clones, table-level
 * reset), volume snapshots (copies of the whole data directory) and volume backups (tar files of it).
 * {@link dev.stateful.snapshot.Snapshots} is what a test sees through {@code db.snapshots()}; the
 * implementation is in {@code dev.stateful.internal.snapshot}, which is not API.
 */
package dev.stateful.snapshot;
