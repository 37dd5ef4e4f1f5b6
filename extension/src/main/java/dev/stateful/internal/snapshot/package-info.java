/**
 * Not API: the implementation of {@link dev.stateful.snapshot}. {@code SnapshotStore} keeps a
 * handle's database snapshots (template databases, a pool of ready clones, table-level and
 * row-by-row reset through {@code TableReset}) and its volume snapshots; {@code VolumeSnapshots}
 * copies a whole data directory to and from snapshot volumes, {@code VolumeBackups} to and from a
 * tar file. These classes may change in any release.
 */
package dev.stateful.internal.snapshot;
