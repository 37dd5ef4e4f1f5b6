package dev.stateful;

import java.util.Objects;

/**
 * Say how {@link StatefulPostgres#restoreDump(java.nio.file.Path, RestoreOptions)} restores:
 * an immutable value, changed with {@code with...} methods that return a copy.
 *
 * <p>Defaults, chosen for restoring a production dump into a test database:
 * <ul>
 *   <li>ownership and privileges are skipped ({@code --no-owner --no-privileges}): every object
 *       belongs to the handle's role, and the production roles need not exist. A plain SQL
 *       dump runs as written, so it cannot skip them;</li>
 *   <li>{@code pg_restore} runs {@link #defaultJobs()} jobs for custom and directory dumps;</li>
 *   <li>{@code ANALYZE} runs afterwards, so the planner sees the restored data as production
 *       does.</li>
 * </ul>
 */
public final class RestoreOptions {
    private static final int MAX_JOBS = 16;
    private static final RestoreOptions DEFAULTS = new RestoreOptions(false, false, defaultJobs(), true);

    private final boolean keepOwnership;
    private final boolean keepPrivileges;
    private final int jobs;
    private final boolean analyze;

    private RestoreOptions(boolean keepOwnership, boolean keepPrivileges, int jobs, boolean analyze) {
        this.keepOwnership = keepOwnership;
        this.keepPrivileges = keepPrivileges;
        this.jobs = jobs;
        this.analyze = analyze;
    }

    /**
     * Return the defaults: no owners, no privileges, {@link #defaultJobs()} jobs, analyze.
     *
     * @return the default options
     */
    public static RestoreOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Return the default number of parallel jobs: the processors available, at most 4.
     *
     * @return between 1 and 4
     */
    public static int defaultJobs() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Choose whether objects keep the owners the dump names ({@code ALTER ... OWNER TO}); those
     * roles must then exist.
     *
     * @param value {@code true} to keep ownership
     * @return a copy with the setting
     */
    public RestoreOptions withOwnership(boolean value) {
        return new RestoreOptions(value, keepPrivileges, jobs, analyze);
    }

    /**
     * Choose whether the dump's {@code GRANT} and {@code REVOKE} run; the roles they name must
     * then exist.
     *
     * @param value {@code true} to keep privileges
     * @return a copy with the setting
     */
    public RestoreOptions withPrivileges(boolean value) {
        return new RestoreOptions(keepOwnership, value, jobs, analyze);
    }

    /**
     * Set how many parallel jobs {@code pg_restore} runs for custom and directory dumps (tar
     * and plain SQL dumps always restore with one).
     *
     * @param value 1 to 16
     * @return a copy with the setting
     */
    public RestoreOptions withJobs(int value) {
        if (value < 1 || value > MAX_JOBS) {
            throw new InvalidArgumentException("restore jobs " + value + " is invalid; expected 1 to " + MAX_JOBS
                    + ". Fix: pass for example " + defaultJobs() + ", the default here.");
        }
        return new RestoreOptions(keepOwnership, keepPrivileges, value, analyze);
    }

    /**
     * Choose whether {@code ANALYZE} runs after the restore.
     *
     * @param value {@code true} to analyze
     * @return a copy with the setting
     */
    public RestoreOptions withAnalyze(boolean value) {
        return new RestoreOptions(keepOwnership, keepPrivileges, jobs, value);
    }

    /**
     * Tell whether ownership is kept.
     *
     * @return the setting
     */
    public boolean keepOwnership() {
        return keepOwnership;
    }

    /**
     * Tell whether privileges are kept.
     *
     * @return the setting
     */
    public boolean keepPrivileges() {
        return keepPrivileges;
    }

    /**
     * Return the parallel jobs for custom and directory dumps.
     *
     * @return 1 to 16
     */
    public int jobs() {
        return jobs;
    }

    /**
     * Tell whether {@code ANALYZE} runs afterwards.
     *
     * @return the setting
     */
    public boolean analyze() {
        return analyze;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestoreOptions r && keepOwnership == r.keepOwnership && keepPrivileges == r.keepPrivileges
                && jobs == r.jobs && analyze == r.analyze;
    }

    @Override
    public int hashCode() {
        return Objects.hash(keepOwnership, keepPrivileges, jobs, analyze);
    }

    @Override
    public String toString() {
        return "RestoreOptions[ownership=" + keepOwnership + ", privileges=" + keepPrivileges + ", jobs=" + jobs
                + ", analyze=" + analyze + "]";
    }
}
