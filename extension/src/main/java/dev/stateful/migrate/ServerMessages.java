package dev.stateful.migrate;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read the {@code DEBUG1} messages with which Postgres names what a statement does to a
 * table (sent when the migration's session has {@code client_min_messages = debug1}).
 */
final class ServerMessages {
    /** What a message says happened. */
    enum Action {
        /** {@code rewriting table "t"}: the table is copied into a new file. */
        REWRITE,
        /** {@code verifying table "t"}: the table is scanned to check a constraint. */
        SCAN,
        /** {@code validating foreign key constraint "c"}: the constraint's table is scanned. */
        FOREIGN_KEY_SCAN,
        /** {@code building index "i" on table "t" ...}. */
        INDEX_BUILD,
        /** {@code existing constraints on column "t.c" are sufficient ...}: a scan was skipped. */
        SCAN_SKIPPED
    }

    /**
     * One message read.
     *
     * @param action what happened
     * @param table the unquoted table name, or for a foreign key the constraint name
     * @param index for an index build, the unquoted index name; otherwise {@code null}
     */
    record Event(Action action, String table, String index) {
    }

    private static final Pattern REWRITE = Pattern.compile("^rewriting table \"(.+)\"$");
    private static final Pattern SCAN = Pattern.compile("^verifying table \"(.+)\"$");
    private static final Pattern FOREIGN_KEY = Pattern.compile("^validating foreign key constraint \"(.+)\"$");
    private static final Pattern INDEX = Pattern.compile("^building index \"(.+)\" on table \"(.+?)\"( .*)?$");
    private static final Pattern SKIPPED = Pattern.compile(
            "^existing constraints on column \"(.+)\\.[^.]+\" are sufficient to prove that it does not contain nulls$");

    private ServerMessages() {
    }

    static Optional<Event> parse(String message) {
        if (message == null) {
            return Optional.empty();
        }
        String m = message.strip();
        Matcher x;
        if ((x = REWRITE.matcher(m)).matches()) {
            return Optional.of(new Event(Action.REWRITE, x.group(1), null));
        }
        if ((x = SCAN.matcher(m)).matches()) {
            return Optional.of(new Event(Action.SCAN, x.group(1), null));
        }
        if ((x = FOREIGN_KEY.matcher(m)).matches()) {
            return Optional.of(new Event(Action.FOREIGN_KEY_SCAN, x.group(1), null));
        }
        if ((x = INDEX.matcher(m)).matches()) {
            return Optional.of(new Event(Action.INDEX_BUILD, x.group(2), x.group(1)));
        }
        if ((x = SKIPPED.matcher(m)).matches()) {
            return Optional.of(new Event(Action.SCAN_SKIPPED, x.group(1), null));
        }
        return Optional.empty();
    }
}
