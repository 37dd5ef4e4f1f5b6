package dev.stateful.migrate;

/**
 * Name one of Postgres' eight table lock modes, weakest first, with the conflict table of
 * the Postgres manual ("Explicit Locking", table 13.2).
 *
 * <p>The order is also the order of strength used to report the strongest mode a migration
 * took on a table: every pair of modes from {@link #SHARE} up conflicts, so a later mode never
 * allows what an earlier one blocks.
 */
public enum LockMode {
    /** Taken by {@code SELECT}. */
    ACCESS_SHARE("AccessShareLock"),
    /** Taken by {@code SELECT ... FOR UPDATE / FOR SHARE} and the check of a referenced table. */
    ROW_SHARE("RowShareLock"),
    /** Taken by {@code INSERT}, {@code UPDATE}, {@code DELETE} and {@code MERGE}. */
    ROW_EXCLUSIVE("RowExclusiveLock"),
    /** Taken by {@code VACUUM}, {@code ANALYZE}, {@code CREATE INDEX CONCURRENTLY}, {@code VALIDATE CONSTRAINT}. */
    SHARE_UPDATE_EXCLUSIVE("ShareUpdateExclusiveLock"),
    /** Taken by {@code CREATE INDEX}: blocks writes, not reads. */
    SHARE("ShareLock"),
    /** Taken by {@code ADD FOREIGN KEY} (on both tables) and {@code CREATE TRIGGER}: blocks writes. */
    SHARE_ROW_EXCLUSIVE("ShareRowExclusiveLock"),
    /** Taken by {@code REFRESH MATERIALIZED VIEW CONCURRENTLY}: blocks writes. */
    EXCLUSIVE("ExclusiveLock"),
    /** Taken by most {@code ALTER TABLE} forms, {@code DROP}, {@code TRUNCATE}, {@code VACUUM FULL}: blocks reads and writes. */
    ACCESS_EXCLUSIVE("AccessExclusiveLock");

    /** Row i: the modes mode i conflicts with, one bit per ordinal. */
    private static final int[] CONFLICTS = {
        0b1000_0000, // ACCESS_SHARE: AE
        0b1100_0000, // ROW_SHARE: E, AE
        0b1111_0000, // ROW_EXCLUSIVE: S, SRE, E, AE
        0b1111_1000, // SHARE_UPDATE_EXCLUSIVE: SUE, S, SRE, E, AE
        0b1110_1100, // SHARE: RE, SUE, SRE, E, AE
        0b1111_1100, // SHARE_ROW_EXCLUSIVE: RE, SUE, S, SRE, E, AE
        0b1111_1110, // EXCLUSIVE: RS, RE, SUE, S, SRE, E, AE
        0b1111_1111, // ACCESS_EXCLUSIVE: all
    };

    private final String pgLocksName;

    LockMode(String pgLocksName) {
        this.pgLocksName = pgLocksName;
    }

    /**
     * Tell whether a session holding this mode blocks another that asks for the given one.
     *
     * @param other the mode another session asks for
     * @return {@code true} when the two conflict
     */
    public boolean conflictsWith(LockMode other) {
        return (CONFLICTS[ordinal()] & (1 << other.ordinal())) != 0;
    }

    /**
     * Tell whether this mode blocks plain reads ({@code SELECT}, which asks for {@link #ACCESS_SHARE}).
     *
     * @return {@code true} only for {@link #ACCESS_EXCLUSIVE}
     */
    public boolean blocksReads() {
        return conflictsWith(ACCESS_SHARE);
    }

    /**
     * Tell whether this mode blocks writes ({@code INSERT}, {@code UPDATE}, {@code DELETE}, which ask
     * for {@link #ROW_EXCLUSIVE}).
     *
     * @return {@code true} for {@link #SHARE} and stronger
     */
    public boolean blocksWrites() {
        return conflictsWith(ROW_EXCLUSIVE);
    }

    /**
     * Return the name {@code LOCK TABLE ... IN <name> MODE} uses.
     *
     * @return such as {@code SHARE ROW EXCLUSIVE}
     */
    public String sqlName() {
        return name().replace('_', ' ');
    }

    /**
     * Return the name the {@code mode} column of {@code pg_locks} shows.
     *
     * @return such as {@code ShareRowExclusiveLock}
     */
    public String pgLocksName() {
        return pgLocksName;
    }

    /**
     * Return the mode that the {@code mode} column of {@code pg_locks} names.
     *
     * @param mode such as {@code AccessExclusiveLock}
     * @return the mode
     * @throws IllegalArgumentException when the text names no table lock mode (such as
     *     {@code SIReadLock}, a predicate lock)
     */
    public static LockMode fromPgLocks(String mode) {
        for (LockMode m : values()) {
            if (m.pgLocksName.equals(mode)) {
                return m;
            }
        }
        throw new IllegalArgumentException("pg_locks mode '" + mode + "' is not a table lock mode; expected one of "
                + "AccessShareLock ... AccessExclusiveLock");
    }

    /**
     * Return the stronger of two modes.
     *
     * @param a a mode, or {@code null}
     * @param b a mode, or {@code null}
     * @return the one with the higher strength, or the other when one is {@code null}
     */
    static LockMode strongest(LockMode a, LockMode b) {
        if (a == null) {
            return b;
        }
        return b == null || a.ordinal() >= b.ordinal() ? a : b;
    }

    @Override
    public String toString() {
        return sqlName();
    }
}
