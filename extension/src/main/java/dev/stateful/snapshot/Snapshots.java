package dev.stateful.snapshot;

import java.util.List;

/**
 * The less frequent snapshot operations of a handle, from {@code db.snapshots()}. The everyday
 * pair, {@code db.snapshot(name)} and {@code db.restore(name)}, is on the handle itself.
 *
 * <pre>{@code
 * db.snapshots().snapshotVolume("with-role");   // the whole data directory: roles, every database
 * ...
 * db.snapshots().restoreVolume("with-role");
 * db.snapshots().drop("baseline");
 * }</pre>
 *
 * <p>One naming rule for database and volume snapshots: 1 to 40 letters, digits, '_', '-' or '.',
 * starting with a letter or digit.
 */
public interface Snapshots {
    /**
     * List the database snapshots.
     *
     * @return snapshot names, sorted
     */
    List<String> names();

    /**
     * Remove a database snapshot; a missing one is not an error.
     *
     * @param name the snapshot
     */
    void drop(String name);

    /**
     * Copy the whole data directory (roles, every database, settings) into a labelled snapshot
     * volume {@code <volume>--snap-<name>}. The server is stopped during the copy and started
     * again. Snapshot volumes are removed when the handle is closed.
     *
     * @param name the snapshot name
     */
    void snapshotVolume(String name);

    /**
     * Replace the whole data directory by a snapshot taken with {@link #snapshotVolume(String)}.
     * The server is stopped during the copy and started again.
     *
     * @param name the snapshot
     */
    void restoreVolume(String name);

    /**
     * Return the id the server will give the next transaction that writes: unchanged between two
     * calls means no write transaction ran in between (in any database of the server).
     *
     * @return the next transaction id
     */
    long nextTransactionId();
}
