package dev.stateful.internal.dump;

import dev.stateful.dump.DumpFormat;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.error.DumpException;
import dev.stateful.internal.Server;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.pg.DumpCommands;
import dev.stateful.internal.pg.DumpScan;
import dev.stateful.internal.pg.RestoreErrors;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restore and write dumps of a handle's database with the tools inside its container.
 *
 * <p>Data goes in through the engine's archive API (a tar built on the fly, {@link DumpUpload}),
 * never through a command's standard input; it comes out through {@code pg_dump}'s standard
 * output ({@link DumpWriter}). Memory use does not depend on the dump's size. What a restore
 * checks before the data goes in is in {@link RestoreChecks}, how a failure is reported in
 * {@link RestoreFailures}.
 *
 * <p>The implementation behind {@code db.dumps()} (restore and dump), working on the
 * narrow {@link Server} view of a handle; tests use the handle's verbs.
 */
public final class Dumps {
    private static final Logger LOG = LoggerFactory.getLogger(Dumps.class);
    private static final long RESTORE_PROGRESS_EVERY_MILLIS = 5_000;

    private final ContainerDatabase db;
    private final RestoreChecks checks;
    private final DumpWriter writer;

    /**
     * Work on one server's container and database, as the server's superuser.
     *
     * @param server the running server
     */
    public Dumps(Server server) {
        this.db = new ContainerDatabase(server);
        this.checks = new RestoreChecks(db);
        this.writer = new DumpWriter(db);
    }

    // ---------------------------------------------------------------- restore

    /**
     * Replace the database's content by a dump's.
     *
     * @param path the dump file or directory on this machine
     * @param spec how the user named it, for messages
     * @param options how to restore
     */
    public void restore(Path path, String spec, RestoreOptions options) {
        DumpFormat.Detected detected = DumpFormat.detect(path);
        Path globalsFile = options.globals().orElse(null);
        if (globalsFile != null && (Files.isDirectory(globalsFile) || !Files.isReadable(globalsFile)
                || DumpFormat.detect(globalsFile).format() != DumpFormat.PLAIN)) {
            throw new DumpException("Globals file '" + globalsFile + "' is not a readable pg_dumpall SQL file. Expected "
                    + "the output of pg_dumpall --globals-only (plain or gzipped SQL). Fix: pass that file as globals.");
        }
        DumpFormat format = detected.format();
        DumpUpload upload = new DumpUpload(path, detected, globalsFile);
        String remote = upload.remote();
        String database = db.database;
        String description = "'" + spec + "' (" + detected + ", " + DumpMessages.size(upload.bytes()) + ")";
        long started = System.nanoTime();
        LOG.info("Restoring dump {} into database {} ({})", description, database, options);
        db.recreate();
        try {
            upload.copyInto(db, description);
            DumpScan scan = checks.scan(format, remote, description, options);
            List<String> roleDefinitions = new ArrayList<>(scan.roleDefinitions());
            if (globalsFile != null) {
                DumpScan globals = checks.scan(DumpFormat.PLAIN, upload.remoteGlobals(), description, options);
                roleDefinitions.addAll(globals.roleDefinitions());
            }
            String clusterDatabase = checks.clusterDatabase(scan, options, description);
            checks.checkExtensions(scan, description);
            checks.prepareRoles(scan, roleDefinitions, options, description);
            boolean keepOwnership = options.roles() == RestoreOptions.Roles.KEEP;
            boolean keepPrivileges = options.roles() != RestoreOptions.Roles.SKIP;
            int jobs = format.parallel() ? jobs(options) : 1;
            List<String> argv = format == DumpFormat.PLAIN
                    ? DumpCommands.psqlFiltered(db.role, database, remote, keepOwnership, keepPrivileges, clusterDatabase)
                    : DumpCommands.pgRestore(db.role, database, format.name().toLowerCase(Locale.ROOT), jobs,
                            keepOwnership, keepPrivileges, remote);
            String tool = format == DumpFormat.PLAIN ? "psql" : "pg_restore";
            long toolStarted = System.nanoTime();
            ExecResult result;
            Thread progress = restoreProgressLogger(description);
            try {
                result = db.exec(argv, OutputStream.nullOutputStream());
            } finally {
                progress.interrupt();
            }
            RestoreErrors.Outcome outcome = RestoreErrors.classify(result.stderrText(),
                    List.of(RestoreErrors.Rule.values()));
            if (!outcome.clean() || (!result.succeeded() && outcome.errorCount() == 0)) {
                throw RestoreFailures.toolFailure(db, description, tool, result, outcome, format, options);
            }
            if (!outcome.tolerated().isEmpty()) {
                LOG.info("{} of dump {}: tolerated known harmless differences between pg_dump versions: {}", tool,
                        description, outcome.describeTolerated());
            }
            LOG.info("{} restored {} in {} ms{}", tool, description, ContainerDatabase.millisSince(toolStarted),
                    jobs > 1 ? " (" + jobs + " jobs)" : "");
            if (options.analyze()) {
                long analyzeStarted = System.nanoTime();
                db.psql(database, List.of("ANALYZE"));
                LOG.info("Analyzed database {} in {} ms", database, ContainerDatabase.millisSince(analyzeStarted));
            }
        } catch (DumpException e) {
            RestoreFailures.resetAfterFailure(db, e);
            throw e;
        } catch (RuntimeException e) {
            DumpException failure = new DumpException(DumpMessages.cannotCopy(description, database, e), e);
            RestoreFailures.resetAfterFailure(db, failure);
            throw failure;
        } finally {
            db.removeQuietly(upload.remoteDir());
        }
        LOG.info("Restored dump {} into database {} in {} ms", description, database,
                ContainerDatabase.millisSince(started));
    }

    private int jobs(RestoreOptions options) {
        if (options.jobs() > 0) {
            return options.jobs();
        }
        ExecResult nproc = db.exec(DumpCommands.processors());
        try {
            return RestoreOptions.defaultJobs(Integer.parseInt(nproc.stdoutText().strip()));
        } catch (NumberFormatException e) {
            return RestoreOptions.defaultJobs();
        }
    }

    /** Log how far the restore is every few seconds: the database's size and the tables being copied. */
    private Thread restoreProgressLogger(String description) {
        long started = System.nanoTime();
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(RESTORE_PROGRESS_EVERY_MILLIS);
                    ExecResult r = db.exec(DumpCommands.psqlQuery(db.role,
                            DumpCommands.maintenanceDatabase(db.database), DumpCommands.restoreProgressQuery(db.database)));
                    if (r.succeeded()) {
                        LOG.info("Restoring dump {}: {} s, {}", description, ContainerDatabase.millisSince(started) / 1000,
                                r.stdoutText().strip());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("progress query failed: {}", e.getMessage());
            }
        }, "stateful-restore-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ---------------------------------------------------------------- dump

    /**
     * Dump the database to a file or directory on this machine.
     *
     * @param target where to write (replaced)
     * @param format the dump format
     * @return the absolute path written
     */
    public Path dump(Path target, DumpFormat format) {
        return writer.dump(target, format);
    }
}
