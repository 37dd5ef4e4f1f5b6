package dev.stateful.dump;

import dev.stateful.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Say how {@code db.dumps().restore(Path, RestoreOptions)} restores:
 * an immutable value, changed with {@code with...} methods that return a copy.
 *
 * <p>Defaults, chosen for restoring a production dump into a test database:
 * <ul>
 *   <li>{@link Roles#CREATE_MISSING}: objects belong to the handle's role; every role the dump
 *       names is created ({@code NOLOGIN}) when missing, and the dump's grants, policies and
 *       {@code SET ROLE} run. The same for every format, plain SQL included;</li>
 *   <li>{@code pg_restore} runs as many jobs as the engine has processors (at most 4) for
 *       custom and directory dumps;</li>
 *   <li>{@code ANALYZE} runs afterwards, so the planner sees the restored data as production
 *       does;</li>
 *   <li>no globals file; a {@code pg_dumpall} file's single user database is restored.</li>
 * </ul>
 */
public final class RestoreOptions {
    private static final int MAX_JOBS = 16;
    private static final RestoreOptions DEFAULTS = new RestoreOptions(Roles.CREATE_MISSING, 0, true, null, "");

    /** What a restore does with the owners and grantees a dump names. */
    public enum Roles {
        /**
         * The default: ownership is skipped (objects belong to the handle's role), every role the
         * dump names (owners, grantees, {@code SET ROLE}, {@code AUTHORIZATION}, policies) is
         * created {@code NOLOGIN} when missing, and privileges are restored.
         */
        CREATE_MISSING,
        /**
         * Ownership and privileges exactly as dumped; the restore fails before it starts, naming
         * them, when roles the dump needs do not exist.
         */
        KEEP,
        /**
         * No ownership and no privileges ({@code --no-owner --no-privileges}); only the roles
         * that policies and {@code SET ROLE} need are created.
         */
        SKIP
    }

    private final Roles roles;
    private final int jobs;
    private final boolean analyze;
    private final Path globals;
    private final String clusterDatabase;

    private RestoreOptions(Roles roles, int jobs, boolean analyze, Path globals,
            String clusterDatabase) {
        this.roles = roles;
        this.jobs = jobs;
        this.analyze = analyze;
        this.globals = globals;
        this.clusterDatabase = clusterDatabase;
    }

    /**
     * Return the defaults: {@link Roles#CREATE_MISSING}, jobs from the engine, analyze.
     *
     * @return the default options
     */
    public static RestoreOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Return the number of parallel jobs used where the engine's processors are not known: the
     * processors available here, at most 4.
     *
     * @return between 1 and 4
     */
    public static int defaultJobs() {
        return defaultJobs(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Return the default number of parallel jobs for an engine with some processors.
     *
     * @param processors the engine's processors
     * @return between 1 and 4
     */
    public static int defaultJobs(int processors) {
        return Math.max(1, Math.min(4, processors));
    }

    /**
     * Choose what happens to the owners and grantees the dump names.
     *
     * @param value the handling
     * @return a copy with the setting
     */
    public RestoreOptions withRoles(Roles value) {
        return new RestoreOptions(Objects.requireNonNull(value, "roles"), jobs, analyze, globals,
                clusterDatabase);
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
                    + ". Fix: pass for example " + defaultJobs() + ", or leave it out for the engine's processors.");
        }
        return new RestoreOptions(roles, value, analyze, globals, clusterDatabase);
    }

    /**
     * Choose whether {@code ANALYZE} runs after the restore.
     *
     * @param value {@code true} to analyze
     * @return a copy with the setting
     */
    public RestoreOptions withAnalyze(boolean value) {
        return new RestoreOptions(roles, jobs, value, globals, clusterDatabase);
    }

    /**
     * Restore the roles and memberships of a {@code pg_dumpall --globals-only} file before the
     * dump (roles that exist are left as they are).
     *
     * @param value the globals file
     * @return a copy with the setting
     */
    public RestoreOptions withGlobals(Path value) {
        return new RestoreOptions(roles, jobs, analyze, Objects.requireNonNull(value, "globals"),
                clusterDatabase);
    }

    /**
     * Name the database of a {@code pg_dumpall} file to restore into the handle's database;
     * needed when the file holds more than one user database.
     *
     * @param value a database name from the file
     * @return a copy with the setting
     */
    public RestoreOptions withClusterDatabase(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidArgumentException("cluster database '" + value + "' is invalid; expected the name of a "
                    + "database in the pg_dumpall file. Fix: pass one of the names its '-- Database \"...\" dump' "
                    + "lines show.");
        }
        return new RestoreOptions(roles, jobs, analyze, globals, value);
    }

    /**
     * Return the role handling.
     *
     * @return the setting
     */
    public Roles roles() {
        return roles;
    }

    /**
     * Return the parallel jobs for custom and directory dumps.
     *
     * @return 1 to 16, or 0 for as many as the engine has processors (at most 4)
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

    /**
     * Return the globals file restored first.
     *
     * @return the file, or empty
     */
    public Optional<Path> globals() {
        return Optional.ofNullable(globals);
    }

    /**
     * Return the database of a {@code pg_dumpall} file to restore.
     *
     * @return the name, or empty for the file's only user database
     */
    public String clusterDatabase() {
        return clusterDatabase;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestoreOptions r && roles == r.roles && jobs == r.jobs && analyze == r.analyze
                && Objects.equals(globals, r.globals) && clusterDatabase.equals(r.clusterDatabase);
    }

    @Override
    public int hashCode() {
        return Objects.hash(roles, jobs, analyze, globals, clusterDatabase);
    }

    @Override
    public String toString() {
        return "RestoreOptions[roles=" + roles + ", jobs=" + (jobs == 0 ? "engine" : jobs) + ", analyze=" + analyze
                + (globals == null ? "" : ", globals=" + globals)
                + (clusterDatabase.isEmpty() ? "" : ", clusterDatabase=" + clusterDatabase) + "]";
    }
}
