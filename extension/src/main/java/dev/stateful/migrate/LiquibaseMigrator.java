package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.MigrationException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import liquibase.ChecksumVersion;
import liquibase.Contexts;
import liquibase.GlobalConfiguration;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.UpdateSummaryEnum;
import liquibase.change.Change;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.command.CommandScope;
import liquibase.command.core.StatusCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateToTagCommandStep;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.AbstractResourceAccessor;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrate with a Liquibase 4.x changelog: the only class of Stateful that uses Liquibase, loaded
 * only once {@link Changelogs#require} found Liquibase on the classpath.
 *
 * <p>Everything Liquibase runs inside one {@code Scope.child} per call: a resource accessor for
 * the changelog, SLF4J logging, no console output and no analytics. Liquibase gets its own
 * connection, closed afterwards (it leaves auto-commit off). Tags are checked before anything
 * runs: Liquibase itself deploys everything for an unknown tag and does nothing for a tag below
 * the current state.
 */
final class LiquibaseMigrator implements Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(LiquibaseMigrator.class);
    private static final Pattern FAILED_SQL = Pattern.compile("\\[Failed SQL: \\(\\d+\\) (.*)\\]", Pattern.DOTALL);

    private final DataSource dataSource;
    private final String database;
    private final MigrationSettings settings;
    private final String spec;
    private final SafetyObservation safety;

    LiquibaseMigrator(DataSource dataSource, String database, MigrationSettings settings, SafetyObservation safety) {
        this.dataSource = dataSource;
        this.database = database;
        this.settings = settings;
        this.spec = settings.changelog().orElseThrow();
        this.safety = safety;
    }

    // ---------------------------------------------------------------- offline: no database needed

    /** Return the tags of the changelog, in changelog order. */
    static List<String> tags(MigrationSettings settings) {
        String spec = settings.changelog().orElseThrow();
        return offline(spec, (location, log) -> tags(log));
    }

    /**
     * Return a digest of everything the changelog's state depends on: every changeset's
     * identity, filters and Liquibase checksum (which covers sqlFile and loadData contents), and
     * the bytes of every file the parser read (the changelog and each include).
     */
    static String digest(MigrationSettings settings) {
        String spec = settings.changelog().orElseThrow();
        Location location = Location.of(spec);
        RecordingAccessor recording = new RecordingAccessor(location.accessor());
        try {
            Map<String, String> parts = inScope(location.loader(), recording, () -> {
                DatabaseChangeLog log = parse(location, recording, new PostgresDatabase());
                Map<String, String> p = new TreeMap<>();
                int i = 0;
                for (ChangeSet cs : log.getChangeSets()) {
                    p.put(String.format("changeset-%05d", i++), cs.toString(false) + "|" + cs.getContextFilter() + "|"
                            + cs.getLabels() + "|" + cs.getDbmsSet() + "|" + cs.isRunInTransaction() + "|"
                            + cs.generateCheckSum(ChecksumVersion.latest()));
                }
                return p;
            });
            for (Resource r : recording.seen()) {
                try (InputStream in = r.openInputStream()) {
                    parts.put("file:" + r.getPath(), sha256(in));
                }
            }
            MessageDigest digest = sha256();
            parts.forEach((k, v) -> digest.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new MigrationException("Cannot read changelog '" + spec + "' for the cache key: " + e.getMessage()
                    + ". Fix: check that its files are readable.", e);
        } finally {
            closeQuietly(location.accessor());
        }
    }

    private interface OfflineBody<T> {
        T run(Location location, DatabaseChangeLog log) throws Exception;
    }

    private static <T> T offline(String spec, OfflineBody<T> body) {
        Location location = Location.of(spec);
        try {
            return inScope(location.loader(), location.accessor(),
                    () -> body.run(location, parse(location, location.accessor(), new PostgresDatabase())));
        } finally {
            closeQuietly(location.accessor());
        }
    }

    // ---------------------------------------------------------------- against the database

    @Override
    public MigrationResult migrate(String target) {
        long started = System.nanoTime();
        Location location = Location.of(spec);
        String before = schemaVersion().orElse(null);
        Listener listener = new Listener(database);
        List<MigrationStep> steps;
        try (Connection connection = dataSource.getConnection();
                SafetyObserver observer = SafetyObserver.open(dataSource, database, safety, false,
                        "databasechangelog", "databasechangeloglock")) {
            listener.observe(observer, connection);
            Boolean upToDate = inScope(location.loader(), location.accessor(), () -> {
                Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                        new JdbcConnection(connection));
                DatabaseChangeLog log = parse(location, location.accessor(), db);
                if (target != null) {
                    TargetChecks.checkTag(spec, target, tags(log));
                    if (alreadyAtOrPast(connection, log, target)) {
                        return true;
                    }
                }
                LOG.info("Migrating database {} from {} to {} with Liquibase changelog {}", database,
                        before == null ? "no tag" : before, target == null ? "the latest changeset" : "tag " + target,
                        spec);
                CommandScope cmd;
                if (target == null) {
                    cmd = new CommandScope(UpdateCommandStep.COMMAND_NAME)
                            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, location.path());
                    settings.contexts().ifPresent(c -> cmd.addArgumentValue(UpdateCommandStep.CONTEXTS_ARG, c));
                    settings.labels().ifPresent(l -> cmd.addArgumentValue(UpdateCommandStep.LABEL_FILTER_ARG, l));
                } else {
                    cmd = new CommandScope(UpdateToTagCommandStep.COMMAND_NAME)
                            .addArgumentValue(UpdateToTagCommandStep.CHANGELOG_FILE_ARG, location.path())
                            .addArgumentValue(UpdateToTagCommandStep.TAG_ARG, target);
                    settings.contexts().ifPresent(c -> cmd.addArgumentValue(UpdateToTagCommandStep.CONTEXTS_ARG, c));
                    settings.labels().ifPresent(l -> cmd.addArgumentValue(UpdateToTagCommandStep.LABEL_FILTER_ARG, l));
                }
                cmd.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, db)
                        .addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG, listener)
                        .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY, UpdateSummaryEnum.OFF);
                cmd.setOutput(OutputStream.nullOutputStream());
                try {
                    cmd.execute();
                } catch (Exception e) {
                    List<MigrationStep> observed = observer.finish();
                    throw failure(listener, e, observer.failedStep(), new MigrationResult(before, null,
                            listener.applied, Duration.ofNanos(System.nanoTime() - started), observed));
                }
                return false;
            });
            steps = observer.finish();
            if (upToDate) {
                LOG.info("Database {} is at tag {} already: nothing to migrate", database, target);
                return new MigrationResult(before, before, List.of(), Duration.ofNanos(System.nanoTime() - started));
            }
        } catch (SQLException e) {
            throw new MigrationException("Cannot connect to database '" + database + "' to migrate it with changelog '"
                    + spec + "': " + e.getMessage() + ". Fix: check that the server runs.", e);
        } finally {
            closeQuietly(location.accessor());
        }
        String after = schemaVersion().orElse(null);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("Migrated database {} from {} to {}: {} changeset(s) in {} ms", database,
                before == null ? "no tag" : before, after == null ? "nothing" : after, listener.applied.size(),
                took.toMillis());
        steps.forEach(step -> step.hazards().forEach(h -> LOG.warn("Migration hazard on database {}: {}", database, h)));
        return new MigrationResult(before, after, listener.applied, took, steps);
    }

    @Override
    public Optional<String> schemaVersion() {
        try (Connection c = dataSource.getConnection()) {
            return currentVersion(c);
        } catch (SQLException e) {
            throw new MigrationException("Cannot read the schema version of database '" + database + "' from "
                    + "databasechangelog: " + e.getMessage() + ". Fix: check that the server runs.", e);
        }
    }

    @Override
    public List<Migration> pendingMigrations() {
        Location location = Location.of(spec);
        try (Connection connection = dataSource.getConnection()) {
            return inScope(location.loader(), location.accessor(), () -> {
                Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                        new JdbcConnection(connection));
                DatabaseChangeLog log = parse(location, location.accessor(), db);
                List<ChangeSet> unrun;
                try {
                    unrun = new StatusCommandStep().listUnrunChangeSets(contexts(), labels(), log, db);
                } catch (Exception e) {
                    throw new MigrationException("Cannot list the pending changesets of changelog '" + spec + "' for "
                            + "database '" + database + "' (contexts " + settings.contexts().orElse("none")
                            + ", labels " + settings.labels().orElse("none") + "): " + rootMessage(e)
                            + ". Fix: check the contexts and labels expressions.", e);
                }
                return unrun.stream().map(LiquibaseMigrator::describe).toList();
            });
        } catch (SQLException e) {
            throw new MigrationException("Cannot connect to database '" + database + "': " + e.getMessage()
                    + ". Fix: check that the server runs.", e);
        } finally {
            closeQuietly(location.accessor());
        }
    }

    @Override
    public List<String> availableVersions() {
        return tags(settings);
    }

    // ---------------------------------------------------------------- internals

    private Contexts contexts() {
        return settings.contexts().map(Contexts::new).orElseGet(Contexts::new);
    }

    private LabelExpression labels() {
        return settings.labels().map(LabelExpression::new).orElseGet(LabelExpression::new);
    }

    static Migration describe(ChangeSet cs) {
        String comments = cs.getComments();
        String description = comments != null && !comments.isBlank() ? comments.strip() : cs.getDescription();
        return new Migration(cs.getId(), description, cs.getFilePath());
    }

    private static List<String> tags(DatabaseChangeLog log) {
        List<String> tags = new ArrayList<>();
        for (ChangeSet cs : log.getChangeSets()) {
            for (Change c : cs.getChanges()) {
                if (c instanceof TagDatabaseChange t && !tags.contains(t.getTag())) {
                    tags.add(t.getTag());
                }
            }
        }
        return tags;
    }

    /**
     * Tell whether the database already holds the target tag; fail when changesets after the
     * tag are applied too (Liquibase would silently do nothing).
     */
    private boolean alreadyAtOrPast(Connection c, DatabaseChangeLog log, String target) throws SQLException {
        if (!historyExists(c)) {
            return false;
        }
        boolean tagged;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM databasechangelog WHERE tag = ?")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                tagged = rs.next();
            }
        }
        if (!tagged) {
            return false;
        }
        Set<String> ran = new HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT filename, id, author FROM databasechangelog")) {
            while (rs.next()) {
                ran.add(rs.getString(1) + "::" + rs.getString(2) + "::" + rs.getString(3));
            }
        }
        boolean afterTag = false;
        for (ChangeSet cs : log.getChangeSets()) {
            if (afterTag && ran.contains(cs.toString(false))) {
                throw new MigrationException(MigrationMessages.backwards(database, target,
                        currentVersion(c).orElse("changeset " + cs.getId())));
            }
            if (cs.getChanges().stream().anyMatch(ch -> ch instanceof TagDatabaseChange t
                    && target.equals(t.getTag()))) {
                afterTag = true;
            }
        }
        return true;
    }

    private static boolean historyExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('databasechangelog') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The most recent tag applied; the id of the last changeset applied when no tag ever was. */
    private static Optional<String> currentVersion(Connection c) throws SQLException {
        if (!historyExists(c)) {
            return Optional.empty();
        }
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT tag FROM databasechangelog WHERE tag IS NOT NULL "
                    + "ORDER BY dateexecuted DESC, orderexecuted DESC LIMIT 1")) {
                if (rs.next()) {
                    return Optional.of(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id FROM databasechangelog "
                    + "ORDER BY dateexecuted DESC, orderexecuted DESC LIMIT 1")) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The failure of a changeset; {@code run} is what the run did until then (its {@code toVersion} is read here). */
    private RuntimeException failure(Listener listener, Exception e, MigrationStep observed, MigrationResult run) {
        ChangeSet cs = listener.failed;
        if (cs == null) {
            return new MigrationException("Liquibase could not migrate database '" + database + "' with changelog '"
                    + spec + "': " + rootMessage(e) + ". Fix: check the changelog.", e);
        }
        SQLException sql = find(e, SQLException.class);
        String sqlState = sql == null ? null : sql.getSQLState();
        String message = postgresMessage(sql, e);
        String statement = null;
        for (Throwable t = e; t != null && statement == null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher m = FAILED_SQL.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                statement = m.group(1).strip();
            }
        }
        boolean halfApplied = !cs.isRunInTransaction();
        String current;
        String after = null;
        try {
            after = schemaVersion().orElse(null);
            current = after == null ? "without any changeset applied" : "at " + after;
        } catch (RuntimeException ignored) {
            current = "in an unknown state";
        }
        String text = "Liquibase changeset '" + cs.getId() + "' by " + cs.getAuthor() + " in " + cs.getFilePath()
                + " failed on database '" + database + "': " + message + (sqlState == null ? "" : " [SQLState " + sqlState
                + "]") + (statement == null ? "" : ". Statement: " + statement) + ". "
                + (halfApplied
                ? "It ran outside a transaction (runInTransaction: false): the statements before the failing one stay "
                        + "applied, and Liquibase did not record the changeset, so the next update runs it again from "
                        + "its first statement."
                : "It ran in a transaction, which was rolled back: nothing of it is applied.")
                + " Earlier changesets stay applied: the database is " + current + ". Fix: correct the changeset"
                + (halfApplied ? " and undo its applied statements by hand (or start from a fresh database)" : "")
                + ", then migrate again."
                + (observed == null ? "" : "\nObserved until it failed: " + observed);
        return new ObservedMigrationFailedException(text, cs.getFilePath(), cs.getId(), sqlState, message, halfApplied,
                e, new MigrationResult(run.fromVersion(), after, run.applied(), run.duration(), run.steps()));
    }

    private static String postgresMessage(SQLException sql, Exception e) {
        if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
            String detail = p.getServerErrorMessage().getDetail();
            return p.getServerErrorMessage().getMessage() + (detail == null ? "" : " (" + detail + ")");
        }
        if (sql != null && sql.getMessage() != null) {
            return sql.getMessage().replaceFirst("^ERROR:\\s*", "");
        }
        return rootMessage(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static DatabaseChangeLog parse(Location location, ResourceAccessor accessor, Database db)
            throws Exception {
        try {
            return ChangeLogParserFactory.getInstance().getParser(location.path(), accessor)
                    .parse(location.path(), new ChangeLogParameters(db), accessor);
        } catch (liquibase.exception.LiquibaseException e) {
            throw new MigrationException("Liquibase cannot parse changelog '" + location.spec() + "': "
                    + rootMessage(e) + ". Fix: correct the changelog or the file it names.", e);
        }
    }

    private interface Body<T> {
        T run() throws Exception;
    }

    private static <T> T inScope(ClassLoader loader, ResourceAccessor accessor, Body<T> body) {
        Map<String, Object> values = new HashMap<>();
        values.put(Scope.Attr.resourceAccessor.name(), accessor);
        values.put(Scope.Attr.classLoader.name(), loader);
        values.put(Scope.Attr.logService.name(), new Slf4jLogService());
        values.put(Scope.Attr.ui.name(), new LoggerUIService());
        values.put("liquibase.analytics.enabled", false); // no call home, no shutdown hook
        values.put(GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getKey(), 1L); // minutes a held lock is waited for
        try {
            return Scope.child(values, body::run);
        } catch (MigrationException | InvalidArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new MigrationException("Liquibase failed: " + rootMessage(e) + ". Fix: check the changelog.", e);
        }
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing a Liquibase resource accessor failed: {}", e.toString());
        }
    }

    /** Where the changelog is: the path Liquibase records, and the accessor that finds it and its includes. */
    private record Location(String spec, String path, ClassLoader loader, ResourceAccessor accessor) {
        static Location of(String spec) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = LiquibaseMigrator.class.getClassLoader();
            }
            if (spec.startsWith("filesystem:")) {
                Path file = Path.of(spec.substring("filesystem:".length()));
                if (!Files.isRegularFile(file)) {
                    throw new InvalidArgumentException("changelog '" + spec + "' not found: no file "
                            + file.toAbsolutePath() + "; expected a Liquibase changelog (XML, YAML, JSON or formatted "
                            + "SQL). Fix: give a path relative to the working directory, or use 'classpath:'.");
                }
                // Relative: resolved against the working directory (as the Liquibase CLI's search path),
                // so the path recorded in databasechangelog is the one written. Absolute: against its directory.
                Path root = file.isAbsolute() ? file.toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
                String path = file.isAbsolute() ? file.getFileName().toString()
                        : file.normalize().toString().replace('\\', '/');
                try {
                    return new Location(spec, path, loader, new DirectoryResourceAccessor(root));
                } catch (FileNotFoundException e) {
                    throw new InvalidArgumentException("changelog '" + spec + "': directory " + root + " is missing. "
                            + "Fix: check the path.");
                }
            }
            String path = spec.replaceFirst("^classpath:", "").replaceFirst("^/+", "");
            if (loader.getResource(path) == null) {
                throw new InvalidArgumentException("changelog '" + spec + "' not found on the classpath; expected a "
                        + "Liquibase changelog (XML, YAML, JSON or formatted SQL) at " + path + ". Fix: put it under "
                        + "src/test/resources or src/main/resources, or use 'filesystem:' for a file outside them.");
            }
            return new Location(spec, path, loader, new ClassLoaderResourceAccessor(loader));
        }
    }

    /** Collects what ran and what failed, and logs each changeset. */
    private static final class Listener extends AbstractChangeExecListener {
        private final String database;
        private final List<Migration> applied = new ArrayList<>();
        private final Map<String, Long> started = new LinkedHashMap<>();
        private ChangeSet failed;
        private StepObserver observer;
        private Connection connection;

        Listener(String database) {
            this.database = database;
        }

        @Override
        public void willRun(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database db,
                            ChangeSet.RunStatus runStatus) {
            started.put(changeSet.toString(false), System.nanoTime());
            if (observer != null) {
                observer.begin(describe(changeSet), connection);
            }
        }

        /** Observe each changeset on the connection Liquibase runs it on. */
        void observe(StepObserver stepObserver, Connection on) {
            this.observer = stepObserver;
            this.connection = on;
        }

        @Override
        public void ran(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database db,
                        ChangeSet.ExecType execType) {
            applied.add(describe(changeSet));
            if (observer != null) {
                observer.afterMigration(false);
            }
            Long t0 = started.get(changeSet.toString(false));
            long ms = t0 == null ? 0 : Duration.ofNanos(System.nanoTime() - t0).toMillis();
            LOG.info("Database {}: changeset {} ({}) {} in {} ms", database, changeSet.getId(), changeSet.getFilePath(),
                    execType.value, ms);
        }

        @Override
        public void runFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database db,
                              Exception exception) {
            failed = changeSet;
            if (observer != null) {
                observer.afterMigration(true);
            }
        }
    }

    /** Records every resource the parser looks up, so that the cache key covers each included file. */
    private static final class RecordingAccessor extends AbstractResourceAccessor {
        private final ResourceAccessor delegate;
        private final Map<String, Resource> seen = new TreeMap<>();

        RecordingAccessor(ResourceAccessor delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<Resource> search(String path, boolean recursive) throws IOException {
            return record(delegate.search(path, recursive));
        }

        @Override
        public List<Resource> getAll(String path) throws IOException {
            return record(delegate.getAll(path));
        }

        @Override
        public List<String> describeLocations() {
            return delegate.describeLocations();
        }

        @Override
        public void close() {
            // the delegate is closed by its owner
        }

        private synchronized List<Resource> record(List<Resource> resources) {
            if (resources != null) {
                for (Resource r : resources) {
                    if (r.exists() && !r.getPath().endsWith("/")) {
                        seen.putIfAbsent(r.getPath(), r);
                    }
                }
            }
            return resources;
        }

        synchronized List<Resource> seen() {
            return List.copyOf(seen.values());
        }
    }

    /** Liquibase's log through SLF4J; its chatty INFO goes to debug. */
    private static final class Slf4jLogService extends AbstractLogService {
        @Override
        public int getPriority() {
            return PRIORITY_SPECIALIZED;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public liquibase.logging.Logger getLog(Class clazz) {
            Logger log = LoggerFactory.getLogger(clazz);
            return new AbstractLogger() {
                @Override
                public void log(Level level, String message, Throwable e) {
                    int v = level.intValue();
                    if (level == Level.OFF) {
                        log.debug(message, e); // Liquibase's notes such as "User has disabled analytics."
                    } else if (v >= Level.SEVERE.intValue()) {
                        // A failing changeset: Stateful's MigrationFailedException reports it in full.
                        log.warn(message);
                        log.debug(message, e);
                    } else if (v >= Level.WARNING.intValue()) {
                        log.warn(message, e);
                    } else if (v >= Level.INFO.intValue()) {
                        log.debug(message, e);
                    } else {
                        log.trace(message, e);
                    }
                }

                @Override
                public void close() {
                    // nothing to release
                }
            };
        }
    }
}
