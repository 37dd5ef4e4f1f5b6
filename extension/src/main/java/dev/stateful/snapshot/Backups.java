package dev.stateful.snapshot;

import java.nio.file.Path;

/**
 * The backup files of a handle, from {@code db.backups()}: {@link #backup(BackupKind, Path) back up}
 * to a file, {@link #restore(Path) restore} from one.
 *
 * <pre>{@code
 * Path file = db.backups().backup(BackupKind.VOLUME, Path.of("target/orders.tar"));
 * db.removeVolume();
 * db.backups().restore(file);
 * }</pre>
 */
public interface Backups {
    /**
     * Back up the database: {@link BackupKind#LOGICAL} writes {@code pg_dump -Fc} of this
     * database, {@link BackupKind#VOLUME} a tar of the whole data directory (server stopped
     * during the copy). Restore either with {@link #restore(Path)}.
     *
     * @param kind the kind of backup
     * @param target the file to write (replaced)
     * @return the file
     */
    Path backup(BackupKind kind, Path target);

    /**
     * Restore a backup written by {@link #backup(BackupKind, Path)}, or any {@code pg_dump}
     * file: a volume backup replaces the data directory; a dump replaces the database (the
     * server is started first when needed).
     *
     * @param backup the file (or dump directory)
     */
    void restore(Path backup);
}
