package dev.stateful.migrate;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follow one {@code migrate}: log each migration with its timing, and remember which one
 * failed and whether it ran in a transaction.
 */
final class ProgressCallback implements Callback {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private final String database;
    private final List<Migration> applied = new ArrayList<>();
    private Migration running;
    private boolean runningInTransaction = true;
    private long startedNanos;
    private Migration failed;
    private boolean failedInTransaction = true;

    ProgressCallback(String database) {
        this.database = database;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE
                || event == Event.AFTER_EACH_MIGRATE_ERROR;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        MigrationInfo info = context.getMigrationInfo();
        Migration migration = info == null ? running : FlywayMigrator.describe(info);
        switch (event) {
            case BEFORE_EACH_MIGRATE -> {
                running = migration;
                runningInTransaction = inTransaction(context);
                startedNanos = System.nanoTime();
                LOG.info("Applying migration {} to database {}{}", migration, database,
                        runningInTransaction ? "" : " (outside a transaction)");
            }
            case AFTER_EACH_MIGRATE -> {
                applied.add(migration);
                LOG.info("Applied migration {} to database {} in {} ms", migration, database, elapsedMillis());
                running = null;
            }
            case AFTER_EACH_MIGRATE_ERROR -> {
                failed = migration;
                failedInTransaction = runningInTransaction;
                LOG.warn("Migration {} failed on database {} after {} ms", migration, database, elapsedMillis());
                running = null;
            }
            default -> { }
        }
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static boolean inTransaction(Context context) {
        try {
            return context.getConnection() == null || !context.getConnection().getAutoCommit();
        } catch (SQLException e) {
            return true;
        }
    }

    @Override
    public String getCallbackName() {
        return "stateful-progress";
    }

    List<Migration> applied() {
        return List.copyOf(applied);
    }

    /** The migration that failed, or the one still running when Flyway gave up. */
    Migration failed() {
        return failed != null ? failed : running;
    }

    boolean failedInTransaction() {
        return failed != null ? failedInTransaction : runningInTransaction;
    }
}
