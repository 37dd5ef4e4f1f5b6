package dev.stateful.internal.dump;

import dev.stateful.dump.DumpFormat;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.error.DumpException;
import dev.stateful.error.EngineException;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.Server;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.engine.Pipe;
import dev.stateful.internal.engine.StreamingTar;
import dev.stateful.internal.pg.DumpCommands;
import dev.stateful.internal.pg.DumpFileMessages;
import dev.stateful.internal.pg.DumpScan;
import dev.stateful.internal.pg.RestoreErrors;
import dev.stateful.internal.pg.SqlIdentifiers;
import dev.stateful.internal.pg.PgCommands;
import dev.stateful.internal.pg.ToolErrors;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restore and write dumps of a handle's database with the tools inside its container.
 *
 * <p>Data goes in through the engine's archive API (a tar built on the fly), never through a
 * command's standard input; it comes out through {@code pg_dump}'s standard output. Memory
 * use does not depend on the dump's size.
 *
 * <p>The implementation behind {@code db.dumps()} (restore and dump), working on the
 * narrow {@link Server} view of a handle; tests use the handle's verbs.
 */
public final class Dumps {
    private static final Logger LOG = LoggerFactory.getLogger(Dumps.class);
    private static final int TAIL_LINES = 20;
    private static final long PROGRESS_EVERY_MILLIS = 5_000;
    private static final long RESTORE_PROGRESS_EVERY_MILLIS = 5_000;

    private final DockerEngine engine;
    private final String containerId;
    private final String role;
    private final String database;
    private final String image;

    /**
     * Work on one server's container and database, as the server's superuser.
     *
     * @param server the running server
     */
    public Dumps(Server server) {
        this.engine = server.engine();
        this.containerId = server.containerId();
        this.role = server.username();
        this.database = server.database();
        this.image = server.image();
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
        String name = "stateful-restore-" + VolumeNames.randomHex(4);
        String remoteDir = "/tmp/" + name;
        List<StreamingTar.Entry> entries = new ArrayList<>();
        entries.add(StreamingTar.Entry.directory(name));
        String remote;
        long bytes;
        if (format == DumpFormat.DIRECTORY) {
            remote = remoteDir + "/dump";
            entries.add(StreamingTar.Entry.directory(name + "/dump"));
            bytes = addDirectory(path, name + "/dump/", entries);
        } else {
            remote = remoteDir + "/dump." + extension(format);
            bytes = addFile(path, detected.gzipped(), name + "/dump." + extension(format), entries);
        }
        String remoteGlobals = remoteDir + "/globals.sql";
        if (globalsFile != null) {
            bytes += addFile(globalsFile, DumpFormat.detect(globalsFile).gzipped(), name + "/globals.sql", entries);
        }
        String description = "'" + spec + "' (" + detected + ", " + DumpMessages.size(bytes) + ")";
        long started = System.nanoTime();
        LOG.info("Restoring dump {} into database {} ({})", description, database, options);
        recreateDatabase();
        try {
            copy(entries, bytes, description);
            DumpScan scan = scan(format, remote, description, options);
            List<String> roleDefinitions = new ArrayList<>(scan.roleDefinitions());
            if (globalsFile != null) {
                DumpScan globals = scan(DumpFormat.PLAIN, remoteGlobals, description, options);
                roleDefinitions.addAll(globals.roleDefinitions());
            }
            String clusterDatabase = clusterDatabase(scan, options, description);
            checkExtensions(scan, description);
            prepareRoles(scan, roleDefinitions, options, description);
            boolean keepOwnership = options.roles() == RestoreOptions.Roles.KEEP;
            boolean keepPrivileges = options.roles() != RestoreOptions.Roles.SKIP;
            int jobs = format.parallel() ? jobs(options) : 1;
            List<String> argv = format == DumpFormat.PLAIN
                    ? DumpCommands.psqlFiltered(role, database, remote, keepOwnership, keepPrivileges, clusterDatabase)
                    : DumpCommands.pgRestore(role, database, format.name().toLowerCase(Locale.ROOT), jobs,
                            keepOwnership, keepPrivileges, remote);
            String tool = format == DumpFormat.PLAIN ? "psql" : "pg_restore";
            long toolStarted = System.nanoTime();
            ExecResult result;
            Thread progress = restoreProgressLogger(description);
            try {
                result = engine.exec(containerId, PgCommands.OS_USER, argv, OutputStream.nullOutputStream());
            } finally {
                progress.interrupt();
            }
            RestoreErrors.Outcome outcome = RestoreErrors.classify(result.stderrText(),
                    List.of(RestoreErrors.Rule.values()));
            if (!outcome.clean() || (!result.succeeded() && outcome.errorCount() == 0)) {
                throw toolFailure(description, tool, result, outcome, format, options);
            }
            if (!outcome.tolerated().isEmpty()) {
                LOG.info("{} of dump {}: tolerated known harmless differences between pg_dump versions: {}", tool,
                        description, outcome.describeTolerated());
            }
            LOG.info("{} restored {} in {} ms{}", tool, description, millisSince(toolStarted),
                    jobs > 1 ? " (" + jobs + " jobs)" : "");
            if (options.analyze()) {
                long analyzeStarted = System.nanoTime();
                psql(database, List.of("ANALYZE"));
                LOG.info("Analyzed database {} in {} ms", database, millisSince(analyzeStarted));
            }
        } catch (DumpException e) {
            resetAfterFailure(e);
            throw e;
        } catch (RuntimeException e) {
            DumpException failure = new DumpException(DumpMessages.cannotCopy(description, database, e), e);
            resetAfterFailure(failure);
            throw failure;
        } finally {
            removeQuietly(remoteDir);
        }
        LOG.info("Restored dump {} into database {} in {} ms", description, database, millisSince(started));
    }

    private static long addFile(Path path, boolean gzipped, String entryName, List<StreamingTar.Entry> entries) {
        long bytes = gzipped ? gunzippedSize(path) : size(path);
        if (bytes == 0) {
            throw new DumpException(DumpFileMessages.empty(path));
        }
        StreamingTar.Content content = gzipped
                ? () -> new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16), 1 << 16)
                : () -> Files.newInputStream(path);
        entries.add(StreamingTar.Entry.file(entryName, bytes, content));
        return bytes;
    }

    /** Read the roles, extensions and databases a dump names, streaming only its statement lines. */
    private DumpScan scan(DumpFormat format, String remote, String description, RestoreOptions options) {
        DumpScan scan = new DumpScan();
        List<String> argv = format == DumpFormat.PLAIN ? DumpCommands.scanPlain(remote)
                : DumpCommands.archiveSchema(format.name().toLowerCase(Locale.ROOT), remote);
        ExecResult result;
        try (LineSink sink = new LineSink(scan::accept)) {
            result = engine.exec(containerId, PgCommands.OS_USER, argv, sink);
        }
        // grep exits 1 when no line matches: nothing to read, not an error.
        if (!result.succeeded() && format != DumpFormat.PLAIN) {
            // pg_restore cannot read the archive (a newer pg_dump, a corrupt file): the restore's own diagnosis.
            throw toolFailure(description, "pg_restore", result,
                    RestoreErrors.classify(result.stderrText(), List.of(RestoreErrors.Rule.values())), format, options);
        }
        if (!result.succeeded() && result.exitCode() != 1) {
            throw new DumpException("Reading the dump's schema failed: " + argv.get(0) + " exited with "
                    + result.exitCode() + ": " + ToolErrors.firstError(result.stderrText())
                    + ". Expected a readable dump. Fix: check the dump with pg_restore --list.",
                    result.stderrTail(TAIL_LINES), List.of(), List.of(), null);
        }
        return scan;
    }

    private String clusterDatabase(DumpScan scan, RestoreOptions options, String description) {
        if (!scan.clusterDump()) {
            if (!options.clusterDatabase().isEmpty()) {
                throw new DumpException("Restoring dump " + description + ": clusterDatabase '"
                        + options.clusterDatabase() + "' was given, but the dump is not a pg_dumpall file. Expected "
                        + "a pg_dumpall file with it. Fix: leave clusterDatabase out for a pg_dump file.");
            }
            if (scan.createsDatabase()) {
                LOG.info("Dump {} was made with --create: its CREATE DATABASE and \\connect are skipped, it is "
                        + "restored into database {}", description, database);
            }
            return "";
        }
        List<String> user = scan.databases().stream()
                .filter(d -> !List.of("template0", "template1", "postgres").contains(d)).toList();
        String chosen = options.clusterDatabase();
        if (chosen.isEmpty()) {
            if (user.size() != 1) {
                throw new DumpException("Restoring pg_dumpall file " + description + ": it holds " + user.size()
                        + " user databases " + user + " (all: " + scan.databases() + "); expected exactly one, or the "
                        + "one to restore named. Fix: RestoreOptions.withClusterDatabase(\"name\") or "
                        + "@RestoredFrom(clusterDatabase = \"name\").");
            }
            chosen = user.get(0);
        } else if (!scan.databases().contains(chosen)) {
            throw new DumpException("Restoring pg_dumpall file " + description + ": clusterDatabase '" + chosen
                    + "' is not in it; it holds " + scan.databases() + ". Fix: name one of those.");
        }
        LOG.info("Dump {} is a pg_dumpall file: restoring its roles, then its database '{}' into database {}",
                description, chosen, database);
        return chosen;
    }

    private void checkExtensions(DumpScan scan, String description) {
        if (scan.extensions().isEmpty()) {
            return;
        }
        Set<String> available = new HashSet<>(query(
                "SELECT name FROM pg_available_extensions"));
        List<String> missing = scan.extensions().stream().filter(e -> !available.contains(e)).toList();
        if (!missing.isEmpty()) {
            throw new DumpException("Restoring dump " + description + " into database " + database + " cannot work: "
                    + "it creates extension" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + ", which image " + image + " does not have. Nothing was restored. Expected an image with "
                    + (missing.size() == 1 ? "that extension" : "those extensions") + " installed. Fix: use an image "
                    + "that has " + (missing.contains("postgis") ? "it, such as postgis/postgis, "
                    : "it (for contrib extensions such as pg_trgm the official postgres image has them), ")
                    + "for example @WithVolume(image = \"...\"), or one built FROM " + image + ".",
                    "", List.of(), missing, null);
        }
    }

    private void prepareRoles(DumpScan scan, List<String> roleDefinitions, RestoreOptions options,
            String description) {
        Set<String> existing = new HashSet<>(query("SELECT rolname FROM pg_roles"));
        List<String> named = options.roles() == RestoreOptions.Roles.SKIP ? scan.rolesNeededWithoutPrivileges()
                : scan.roles();
        if (!roleDefinitions.isEmpty()) {
            restoreGlobals(roleDefinitions, existing, description);
            existing = new HashSet<>(query("SELECT rolname FROM pg_roles"));
        }
        Set<String> known = existing;
        List<String> missing = named.stream().filter(r -> !known.contains(r)).toList();
        if (missing.isEmpty()) {
            return;
        }
        if (options.roles() == RestoreOptions.Roles.KEEP) {
            throw new DumpException("Restoring dump " + description + " with roles KEEP: the dump needs role"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + ", which do"
                    + (missing.size() == 1 ? "es" : "") + " not exist on the server. Nothing was restored. Expected "
                    + "every owner and grantee to exist. Fix: create them first (for example from "
                    + "pg_dumpall --globals-only with RestoreOptions.withGlobals), or use roles CREATE_MISSING.",
                    "", missing, List.of(), null);
        }
        List<String> create = new ArrayList<>();
        for (String r : missing) {
            create.add("CREATE ROLE " + SqlIdentifiers.quote(r) + " NOLOGIN");
        }
        psql(DumpCommands.maintenanceDatabase(database), create);
        LOG.info("Created {} role(s) the dump {} names, NOLOGIN: {}", missing.size(), description,
                String.join(", ", missing));
    }

    /** Run a pg_dumpall file's role statements: create missing roles, never touch existing ones. */
    private void restoreGlobals(List<String> definitions, Set<String> existing, String description) {
        List<String> run = new ArrayList<>();
        for (String sql : definitions) {
            String target = DumpScan.roleOf(sql);
            if (target != null && existing.contains(target)) {
                continue;
            }
            run.add(sql.replaceAll(" GRANTED BY [^;]*;", ";"));
        }
        if (run.isEmpty()) {
            return;
        }
        ExecResult result = engine.exec(containerId, PgCommands.OS_USER,
                DumpCommands.psqlCommandsTolerant(role, DumpCommands.maintenanceDatabase(database), run));
        RestoreErrors.Outcome outcome = RestoreErrors.classify(result.stderrText(),
                List.of(RestoreErrors.Rule.ROLE_EXISTS));
        if (!outcome.clean()) {
            throw new DumpException("Restoring the roles of " + description + " failed: "
                    + outcome.firstUnknown().orElse("") + ". Expected pg_dumpall's CREATE ROLE, ALTER ROLE and GRANT "
                    + "statements to run. Fix: see the output:\n" + result.stderrTail(TAIL_LINES),
                    result.stderrTail(TAIL_LINES), ToolErrors.missingRoles(result.stderrText()), List.of(), null);
        }
        LOG.info("Restored {} role statement(s) of pg_dumpall globals from {}", run.size(), description);
    }

    private int jobs(RestoreOptions options) {
        if (options.jobs() > 0) {
            return options.jobs();
        }
        ExecResult nproc = engine.exec(containerId, PgCommands.OS_USER, DumpCommands.processors());
        try {
            return RestoreOptions.defaultJobs(Integer.parseInt(nproc.stdoutText().strip()));
        } catch (NumberFormatException e) {
            return RestoreOptions.defaultJobs();
        }
    }

    private List<String> query(String sql) {
        ExecResult result = engine.exec(containerId, PgCommands.OS_USER,
                DumpCommands.psqlQuery(role, DumpCommands.maintenanceDatabase(database), sql));
        if (!result.succeeded()) {
            throw new DumpException("Query '" + sql + "' failed: " + result.stderrTail(5) + ". Expected role '" + role
                    + "' to read the catalog. Fix: see psql's output.");
        }
        return result.stdoutText().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private DumpException toolFailure(String description, String tool, ExecResult result,
            RestoreErrors.Outcome outcome, DumpFormat format, RestoreOptions options) {
        String stderr = result.stderrText();
        String tail = result.stderrTail(TAIL_LINES);
        String toolVersion = "";
        if (ToolErrors.unsupportedArchiveVersion(stderr).isPresent()) {
            ExecResult version = engine.exec(containerId, PgCommands.OS_USER, DumpCommands.version("pg_restore"));
            toolVersion = version.succeeded() ? version.stdoutText().strip() : "";
        }
        boolean keeps = options.roles() == RestoreOptions.Roles.KEEP;
        RuntimeException resetError = null;
        try {
            recreateDatabase();
        } catch (RuntimeException e) {
            resetError = e;
        }
        String firstError = outcome.firstUnknown().orElse(ToolErrors.firstError(stderr));
        DumpException failure = new DumpException(DumpMessages.restoreFailed(description, database, tool,
                result.exitCode(), firstError + "\n" + stderr, tail, format, image, toolVersion, keeps,
                resetError == null ? null : String.valueOf(resetError.getMessage()).lines().findFirst().orElse("")),
                tail, ToolErrors.missingRoles(stderr), ToolErrors.missingExtensions(stderr), null);
        if (resetError != null) {
            failure.addSuppressed(resetError);
        }
        return failure;
    }

    private void resetAfterFailure(DumpException failure) {
        try {
            recreateDatabase();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Replace the database by an empty one, ending its sessions first. */
    void recreateDatabase() {
        psql(DumpCommands.maintenanceDatabase(database), DumpCommands.recreateDatabase(database, role));
        LOG.debug("Recreated database {}", database);
    }

    private void psql(String connectTo, List<String> commands) {
        ExecResult result = engine.exec(containerId, PgCommands.OS_USER,
                DumpCommands.psqlCommands(role, connectTo, commands));
        if (!result.succeeded()) {
            throw new DumpException("Preparing database '" + database + "' failed: psql exited with "
                    + result.exitCode() + " running " + commands + ". Expected role '" + role + "' to be allowed to "
                    + "drop and create it (the image's POSTGRES_USER is). Fix: see psql's output:\n"
                    + result.stderrTail(TAIL_LINES), result.stderrTail(TAIL_LINES), List.of(), List.of(), null);
        }
    }

    private void copy(List<StreamingTar.Entry> entries, long bytes, String description) {
        long started = System.nanoTime();
        AtomicLong written = new AtomicLong();
        Thread progress = progressLogger(written, bytes, description);
        try (InputStream tar = StreamingTar.stream(entries, written)) {
            engine.copyToContainer(containerId, tar, "/tmp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            progress.interrupt();
        }
        if (written.get() != bytes) {
            throw new EngineException("only " + written.get() + " of " + bytes + " bytes reached the container");
        }
        LOG.info("Copied {} of dump {} into the container in {} ms", DumpMessages.size(bytes), description,
                millisSince(started));
    }

    /** Log how far the restore is every few seconds: the database's size and the tables being copied. */
    private Thread restoreProgressLogger(String description) {
        long started = System.nanoTime();
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(RESTORE_PROGRESS_EVERY_MILLIS);
                    ExecResult r = engine.exec(containerId, PgCommands.OS_USER, DumpCommands.psqlQuery(role,
                            DumpCommands.maintenanceDatabase(database), DumpCommands.restoreProgressQuery(database)));
                    if (r.succeeded()) {
                        LOG.info("Restoring dump {}: {} s, {}", description, millisSince(started) / 1000,
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

    /** Feed complete lines of a command's output to a consumer, keeping at most one line (cut at 64 KiB). */
    private static final class LineSink extends OutputStream {
        private static final int MAX_LINE = 1 << 16;
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSink(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                flushLine();
            } else if (line.size() < MAX_LINE) {
                line.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void flushLine() {
            lines.accept(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }

        @Override
        public void close() {
            if (line.size() > 0) {
                flushLine();
            }
        }
    }

    private static Thread progressLogger(AtomicLong written, long total, String description) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(PROGRESS_EVERY_MILLIS);
                    LOG.info("Copying dump {}: {} of {}", description, DumpMessages.size(written.get()),
                            DumpMessages.size(total));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stateful-copy-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long addDirectory(Path dir, String prefix, List<StreamingTar.Entry> entries) {
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                long size = Files.size(file);
                entries.add(StreamingTar.Entry.file(prefix + file.getFileName(), size, () -> Files.newInputStream(file)));
                total += size;
            }
        } catch (IOException e) {
            throw new DumpException(DumpFileMessages.unreadable(dir, e), e);
        }
        return total;
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new DumpException(DumpFileMessages.unreadable(path, e), e);
        }
    }

    /** Read the gzip data once to learn its size (a tar entry needs it up front) and check it is whole. */
    private static long gunzippedSize(Path path) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16),
                1 << 16)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new DumpException(DumpFileMessages.corruptGzip(path, e), e);
        }
    }

    private static String extension(DumpFormat format) {
        return switch (format) {
            case CUSTOM -> "dump";
            case TAR -> "tar";
            case PLAIN -> "sql";
            case DIRECTORY -> "";
        };
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
        Path file = target.toAbsolutePath().normalize();
        long started = System.nanoTime();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            long bytes = format == DumpFormat.DIRECTORY ? dumpDirectory(file) : dumpFile(file, format);
            LOG.info("Dumped database {} to {} ({}, {}) in {} ms", database, file, format.label(),
                    DumpMessages.size(bytes), millisSince(started));
            return file;
        } catch (IOException e) {
            throw new DumpException("Dumping database '" + database + "' to " + file + " failed: " + e
                    + ". Expected a writable location. Fix: check the path and free disk space.", e);
        }
    }

    private long dumpFile(Path file, DumpFormat format) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part-" + VolumeNames.randomHex(3));
        List<String> argv = DumpCommands.pgDump(role, database, format.name().toLowerCase(Locale.ROOT), 1, null);
        ExecResult result;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
            result = engine.exec(containerId, PgCommands.OS_USER, argv, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        if (!result.succeeded()) {
            Files.deleteIfExists(part);
            throw new DumpException(DumpMessages.dumpFailed(database, file.toString(), result.exitCode(),
                    result.stderrTail(TAIL_LINES)), result.stderrTail(TAIL_LINES), List.of(), List.of(), null);
        }
        long bytes = Files.size(part);
        moveIntoPlace(part, file);
        return bytes;
    }

    private long dumpDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> content = Files.list(dir)) {
                if (!Files.isDirectory(dir) || content.findAny().isPresent()) {
                    throw new DumpException("Cannot write a directory-format dump to " + dir + ": it exists and is "
                            + "not an empty directory. Expected a new or empty directory, as pg_dump -Fd does. Fix: "
                            + "remove it first or choose another path.");
                }
            }
        }
        String remote = "/tmp/stateful-dump-" + VolumeNames.randomHex(4);
        Path part = dir.resolveSibling(dir.getFileName() + ".part-" + VolumeNames.randomHex(3));
        try {
            List<String> argv = DumpCommands.pgDump(role, database, "directory", RestoreOptions.defaultJobs(), remote);
            ExecResult result = engine.exec(containerId, PgCommands.OS_USER, argv);
            if (!result.succeeded()) {
                throw new DumpException(DumpMessages.dumpFailed(database, dir.toString(), result.exitCode(),
                        result.stderrTail(TAIL_LINES)), result.stderrTail(TAIL_LINES), List.of(), List.of(), null);
            }
            long bytes = fetchDirectory(remote, part);
            Files.deleteIfExists(dir);
            moveIntoPlace(part, dir);
            return bytes;
        } finally {
            removeQuietly(remote);
            deleteTree(part);
        }
    }

    /** Stream {@code tar} of a container directory into a local directory. */
    private long fetchDirectory(String remote, Path local) throws IOException {
        Files.createDirectories(local);
        Pipe pipe = new Pipe(1 << 20);
        AtomicLong bytes = new AtomicLong();
        AtomicReference<IOException> extractFailure = new AtomicReference<>();
        Thread extractor = new Thread(() -> {
            try (InputStream in = pipe.source(); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (!entry.isFile()) {
                        continue;
                    }
                    Path target = local.resolve(entry.getName()).normalize();
                    if (!target.getParent().equals(local)) {
                        throw new IOException("unexpected entry " + entry.getName() + " in the dump directory");
                    }
                    bytes.addAndGet(Files.copy(tar, target));
                }
            } catch (IOException e) {
                extractFailure.set(e);
            }
        }, "stateful-dump-extractor");
        extractor.setDaemon(true);
        extractor.start();
        ExecResult result;
        try (OutputStream sink = pipe.sink()) {
            result = engine.exec(containerId, PgCommands.OS_USER, DumpCommands.tarDirectory(remote), sink);
        } catch (RuntimeException e) {
            pipe.fail(new IOException(e.getMessage(), e));
            throw e;
        }
        try {
            extractor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking the dump directory", e);
        }
        if (extractFailure.get() != null) {
            throw extractFailure.get();
        }
        if (!result.succeeded()) {
            throw new IOException("tar of " + remote + " exited with " + result.exitCode() + ": "
                    + result.stderrTail(5));
        }
        return bytes.get();
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", root, e.getMessage());
        }
    }

    private void removeQuietly(String remote) {
        try {
            ExecResult result = engine.exec(containerId, DumpCommands.ROOT, DumpCommands.remove(remote));
            if (!result.succeeded()) {
                LOG.warn("Could not remove {} in the container: {}", remote, result.stderrTail(3));
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not remove {} in the container: {}", remote, e.getMessage());
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
