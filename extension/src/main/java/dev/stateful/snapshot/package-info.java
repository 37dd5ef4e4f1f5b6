/**
 * Fresh state between tests: database snapshots (template databases, pooled clones, table-level
 * reset), volume snapshots (copies of the whole data directory) and volume backups (tar files of it).
 * {@link dev.stateful.snapshot.Snapshots} is what a test sees through {@code db.snapshots()}.
 */
package dev.stateful.snapshot;
