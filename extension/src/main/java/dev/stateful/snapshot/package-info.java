/**
 * Fresh state between tests: database snapshots (template databases, pooled clones, table-level
 * reset), volume snapshots (copies of the whole data directory) and backups (a dump, or a tar file of
 * the data directory). {@link dev.stateful.snapshot.Snapshots} is what a test sees through
 * {@code db.snapshots()}, {@link dev.stateful.snapshot.Backups} through {@code db.backups()}; the
 * implementation is in {@code dev.stateful.internal.snapshot}, which is not API.
 */
package dev.stateful.snapshot;
