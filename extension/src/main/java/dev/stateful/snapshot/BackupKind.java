package dev.stateful.snapshot;

/** Choose how a backup is taken: a logical dump or a copy of the data directory. */
public enum BackupKind {
    /** {@code pg_dump -Fc} of the database, restored with {@code pg_restore}: portable across major versions. */
    LOGICAL,
    /** A tar of the whole data directory (roles, every database, settings), taken from a stopped server. */
    VOLUME
}
