package dev.stateful.assertj;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.DatabaseFingerprint.TableFingerprint;
import dev.stateful.StatefulPostgres;
import dev.stateful.assertj.Catalog.HistoryRow;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Build the failure messages of the assertions; no database access, so unit tests can check them. */
final class Messages {
    /** How many example rows or values a message shows at most. */
    static final int SAMPLE = 10;
    /** How many history entries a message shows at most (the latest). */
    static final int HISTORY = 50;
    /** How many table names a message lists at most. */
    static final int LISTED = 50;

    private Messages() {
    }

    static String subject(StatefulPostgres db) {
        return "database '" + db.database() + "' on volume '" + db.volumeName() + "'";
    }

    static String survives(String subject) {
        return "Expected " + subject + " to survive the action";
    }

    static String losesData(String subject) {
        return "Expected the action to lose the data of " + subject;
    }

    static String changed(String subject, DatabaseFingerprint before, DatabaseFingerprint after) {
        List<String> diff = before.diff(after);
        return survives(subject) + " with every user table unchanged, but " + count(diff.size(), "table")
                + " changed:" + indent(diff)
                + "\nexpected (before the action): " + before
                + "\nactual (after the action): " + after;
    }

    /** Return one line per table that had rows before and still has rows after. */
    static List<String> survivors(DatabaseFingerprint before, DatabaseFingerprint after) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, TableFingerprint> e : before.tables().entrySet()) {
            TableFingerprint was = e.getValue();
            TableFingerprint now = after.tables().get(e.getKey());
            if (was.rows() > 0 && now != null && now.rows() > 0) {
                lines.add(e.getKey() + ": " + rows(was.rows()) + " before, " + rows(now.rows()) + " after, content "
                        + (was.equals(now) ? "unchanged" : "changed"));
            }
        }
        return lines;
    }

    static String nothingToLose(String subject, DatabaseFingerprint before) {
        return losesData(subject) + ", but there was nothing to lose: no user table had rows before the action."
                + "\nbefore the action: " + before
                + "\nFix: insert data before the action, or the assertion cannot fail.";
    }

    static String notLost(String subject, DatabaseFingerprint before, DatabaseFingerprint after) {
        List<String> survivors = survivors(before, after);
        long hadRows = before.tables().values().stream().filter(t -> t.rows() > 0).count();
        return losesData(subject) + ", but " + survivors.size() + " of " + count(hadRows, "table")
                + " that had rows still " + (survivors.size() == 1 ? "has" : "have") + " rows:" + indent(survivors)
                + "\nexpected (after the action): every table that had rows empty or gone"
                + "\nactual (after the action): " + after;
    }

    static String actionThrew(String expectation, Exception e) {
        return expectation + ", but the action threw " + e;
    }

    static String unreadable(String expectation, String when, RuntimeException e) {
        return expectation + ", but its user tables could not be read " + when + ": " + e.getMessage();
    }

    static String sqlFailed(String what, String subject, SQLException e) {
        String state = e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")";
        return "Could not check " + what + " of " + subject + ": the query failed: " + e.getMessage() + state;
    }

    static String history(List<HistoryRow> rows) {
        StringBuilder s = new StringBuilder();
        int from = Math.max(0, rows.size() - HISTORY);
        if (from > 0) {
            s.append("\n  ... ").append(count(from, "earlier entry", "earlier entries"));
        }
        for (HistoryRow row : rows.subList(from, rows.size())) {
            s.append("\n  rank ").append(row.rank()).append(": ")
                    .append(row.version() == null ? "repeatable" : "version " + row.version())
                    .append(" \"").append(row.description()).append("\" (").append(row.type()).append(", ")
                    .append(row.success() ? "success" : "FAILED").append(')');
        }
        return s.toString();
    }

    /** Indent the first {@value #SAMPLE} items one per line, noting how many of {@code total} were left out. */
    static String sample(List<String> items, long total) {
        return sample(items, total, SAMPLE);
    }

    static String sample(List<String> items, long total, int max) {
        List<String> shown = items.size() > max ? items.subList(0, max) : items;
        String s = indent(shown);
        return total > shown.size() ? s + "\n  ... " + (total - shown.size()) + " more" : s;
    }

    /** Indent the first {@value #SAMPLE} items one per line, with {@code ...} when there are more. */
    static String sampleOf(List<String> items) {
        List<String> shown = items.size() > SAMPLE ? items.subList(0, SAMPLE) : items;
        return indent(shown) + (items.size() > SAMPLE ? "\n  ..." : "");
    }

    /** List up to {@value #LISTED} names one per line, or say there are none. */
    static String orNone(List<String> names) {
        return names.isEmpty() ? " (none)" : sample(names, names.size(), LISTED);
    }

    static String noSuchColumn(String table, String column, List<String> columns) {
        return "Expected table " + table + " to have column " + column + ", but "
                + (columns.isEmpty() ? "it has no columns." : "its columns are: " + String.join(", ", columns));
    }

    /** Attach the cause unless the error has one already. */
    static AssertionError withCause(AssertionError error, Throwable cause) {
        if (cause != null && error.getCause() == null) {
            try {
                error.initCause(cause);
            } catch (IllegalStateException alreadySet) {
                error.addSuppressed(cause);
            }
        }
        return error;
    }

    static String indent(List<String> lines) {
        StringBuilder s = new StringBuilder();
        lines.forEach(line -> s.append("\n  ").append(line));
        return s.toString();
    }

    static String rows(long n) {
        return count(n, "row");
    }

    static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    static String quoted(String value) {
        return value == null ? "NULL" : "\"" + value + "\"";
    }

    static String quotedList(List<String> values) {
        return "[" + String.join(", ", values.stream().map(Messages::quoted).toList()) + "]";
    }
}
