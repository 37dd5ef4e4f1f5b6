package dev.stateful.junit;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.HandleAccess;

/** Carry a container's log tail as a suppressed exception of a failed test. */
final class ContainerLogTail extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ContainerLogTail(StatefulPostgres db, int lines) {
        super("Last " + lines + " log lines of " + db + " (container " + HandleAccess.server(db).containerState() + "):\n"
                + safeTail(db, lines), null, false, false);
    }

    private static String safeTail(StatefulPostgres db, int lines) {
        try {
            return db.logTail(lines);
        } catch (RuntimeException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }
}
