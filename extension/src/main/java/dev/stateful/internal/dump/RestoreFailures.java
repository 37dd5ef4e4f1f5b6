package dev.stateful.internal.dump;

import dev.stateful.dump.DumpFormat;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.error.DumpException;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.pg.DumpCommands;
import dev.stateful.internal.pg.RestoreErrors;
import dev.stateful.internal.pg.ToolErrors;

/**
 * A failed restore: the database is made empty again, and the failure says what the tool
 * reported, the likely cause and the fix.
 */
final class RestoreFailures {
    private RestoreFailures() {
    }

    /** Describe a restore tool's failure, after recreating the database (a failure of that is suppressed). */
    static DumpException toolFailure(ContainerDatabase db, String description, String tool, ExecResult result,
            RestoreErrors.Outcome outcome, DumpFormat format, RestoreOptions options) {
        String stderr = result.stderrText();
        String tail = result.stderrTail(ContainerDatabase.TAIL_LINES);
        String toolVersion = "";
        if (ToolErrors.unsupportedArchiveVersion(stderr).isPresent()) {
            ExecResult version = db.exec(DumpCommands.version("pg_restore"));
            toolVersion = version.succeeded() ? version.stdoutText().strip() : "";
        }
        boolean keeps = options.roles() == RestoreOptions.Roles.KEEP;
        RuntimeException resetError = null;
        try {
            db.recreate();
        } catch (RuntimeException e) {
            resetError = e;
        }
        String firstError = outcome.firstUnknown().orElse(ToolErrors.firstError(stderr));
        DumpException failure = new DumpException(DumpMessages.restoreFailed(description, db.database, tool,
                result.exitCode(), firstError + "\n" + stderr, tail, format, db.image, toolVersion, keeps,
                resetError == null ? null : String.valueOf(resetError.getMessage()).lines().findFirst().orElse("")),
                tail, ToolErrors.missingRoles(stderr), ToolErrors.missingExtensions(stderr), null);
        if (resetError != null) {
            failure.addSuppressed(resetError);
        }
        return failure;
    }

    /** Make the database empty again after a failed restore (a failure of that is suppressed). */
    static void resetAfterFailure(ContainerDatabase db, DumpException failure) {
        try {
            db.recreate();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
