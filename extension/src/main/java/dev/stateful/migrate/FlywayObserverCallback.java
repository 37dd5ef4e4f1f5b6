package dev.stateful.migrate;

import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.callback.Warning;

/**
 * Tell the {@link StepObserver} what Flyway does: a migration begins, a statement ran, the
 * migration's last statement ran, the run ended. Never throws: an exception out of a callback
 * would fail the migration.
 */
final class FlywayObserverCallback implements Callback {
    private final StepObserver observer;

    FlywayObserverCallback(StepObserver observer) {
        this.observer = observer;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return switch (event) {
            case BEFORE_EACH_MIGRATE, AFTER_EACH_MIGRATE_STATEMENT, AFTER_EACH_MIGRATE_STATEMENT_ERROR,
                    AFTER_EACH_MIGRATE, AFTER_EACH_MIGRATE_ERROR, AFTER_MIGRATE, AFTER_MIGRATE_ERROR -> true;
            default -> false;
        };
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            switch (event) {
                case BEFORE_EACH_MIGRATE -> observer.begin(FlywayMigrator.describe(context.getMigrationInfo()),
                        context.getConnection());
                case AFTER_EACH_MIGRATE_STATEMENT, AFTER_EACH_MIGRATE_STATEMENT_ERROR -> statement(context);
                case AFTER_EACH_MIGRATE -> observer.afterMigration(false);
                case AFTER_EACH_MIGRATE_ERROR -> observer.afterMigration(true);
                case AFTER_MIGRATE, AFTER_MIGRATE_ERROR -> observer.finish();
                default -> { }
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Migrations.class).warn("Migration observer failed at {}: {}",
                    event.getId(), e.toString());
        }
    }

    private void statement(Context context) {
        if (context.getStatement() == null) {
            return;
        }
        List<String> messages = new ArrayList<>();
        for (Warning w : context.getStatement().getWarnings()) {
            String message = w.getMessage();
            if (ServerMessages.parse(message).isPresent()) {
                messages.add(message);
            }
        }
        observer.statement(context.getStatement().getSql(), messages);
    }

    @Override
    public String getCallbackName() {
        return "stateful-safety-observer";
    }
}
