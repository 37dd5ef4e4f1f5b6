package dev.stateful.migrate;

import dev.stateful.error.MigrationException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.UpdateSummaryEnum;
import liquibase.change.core.TagDatabaseChange;
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
import liquibase.database.jvm.JdbcConnection;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrate with a Liquibase 4.x changelog against the database, loaded only once
 * {@link Changelogs#require} found Liquibase on the classpath ({@link ChangelogFiles} reads the
 * changelog).
 *
 * <p>Everything Liquibase runs inside one {@code Scope.child} per call (see
 * {@link ChangelogFiles#inScope}). Liquibase gets its own
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

    // ---------------------------------------------------------------- against the database

    @Override
    public MigrationResult migrate(String target) {
        long started = System.nanoTime();
        ChangelogFiles.Location location = ChangelogFiles.Location.of(spec);
        String before = schemaVersion().orElse(null);
        Listener listener = new Listener(database);
        List<MigrationStep> steps;
        try (Connection connection = dataSource.getConnection();
                SafetyObserver observer = SafetyObserver.open(dataSource, database, safety, false,
                        "databasechangelog", "databasechangeloglock")) {
            listener.observe(observer, connection);
            Boolean upToDate = ChangelogFiles.inScope(location.loader(), location.accessor(), () -> {
                Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                        new JdbcConnection(connection));
                DatabaseChangeLog log = ChangelogFiles.parse(location, location.accessor(), db);
                if (target != null) {
                    TargetChecks.checkTag(spec, target, ChangelogFiles.tags(log));
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
            ChangelogFiles.closeQuietly(location.accessor());
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
        ChangelogFiles.Location location = ChangelogFiles.Location.of(spec);
        try (Connection connection = dataSource.getConnection()) {
            return ChangelogFiles.inScope(location.loader(), location.accessor(), () -> {
                Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                        new JdbcConnection(connection));
                DatabaseChangeLog log = ChangelogFiles.parse(location, location.accessor(), db);
                List<ChangeSet> unrun;
                try {
                    unrun = new StatusCommandStep().listUnrunChangeSets(contexts(), labels(), log, db);
                } catch (Exception e) {
                    throw new MigrationException("Cannot list the pending changesets of changelog '" + spec + "' for "
                            + "database '" + database + "' (contexts " + settings.contexts().orElse("none")
                            + ", labels " + settings.labels().orElse("none") + "): " + ChangelogFiles.rootMessage(e)
                            + ". Fix: check the contexts and labels expressions.", e);
                }
                return unrun.stream().map(LiquibaseMigrator::describe).toList();
            });
        } catch (SQLException e) {
            throw new MigrationException("Cannot connect to database '" + database + "': " + e.getMessage()
                    + ". Fix: check that the server runs.", e);
        } finally {
            ChangelogFiles.closeQuietly(location.accessor());
        }
    }

    @Override
    public List<String> availableVersions() {
        return ChangelogFiles.tags(settings);
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
                    + spec + "': " + ChangelogFiles.rootMessage(e) + ". Fix: check the changelog.", e);
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
        return ChangelogFiles.rootMessage(e);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
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
}
