package dev.stateful.migrate;

/**
 * Say what makes a migration unsafe to run while the application is live.
 */
public enum HazardKind {
    /** A table with rows was rewritten (a new file): it was locked against reads and writes for the whole copy. */
    TABLE_REWRITE,
    /** An index on a table with rows was built under a lock that blocks writes (a {@code CREATE INDEX} without {@code CONCURRENTLY}, a new primary key or unique constraint). */
    BLOCKING_INDEX_BUILD,
    /** A table with rows was scanned to validate {@code SET NOT NULL} or a constraint added without {@code NOT VALID}, under a lock that blocks writes. */
    SCAN_UNDER_EXCLUSIVE_LOCK,
    /** Reads of a table were blocked longer than {@code stateful.migrate.max-blocking} (default 1 s). */
    LONG_EXCLUSIVE_LOCK
}
