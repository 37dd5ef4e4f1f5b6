package dev.stateful.migrate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decide which of a migration's effects on existing tables are hazards, and what to do instead.
 * Pure: the facts come from {@link SafetyObserver}.
 */
final class HazardRules {
    private static final Pattern ADD_COLUMN = Pattern.compile("(?is).*\\bADD\\s+(COLUMN\\s+)?.*\\bDEFAULT\\b.*");
    private static final Pattern ALTER_TYPE = Pattern.compile("(?is).*\\bALTER\\s+(COLUMN\\s+)?\\S+\\s+(SET\\s+DATA\\s+)?TYPE\\b.*");
    private static final Pattern VACUUM_FULL = Pattern.compile("(?is).*\\b(VACUUM\\s+(\\(.*\\)\\s*)?FULL|CLUSTER)\\b.*");
    private static final Pattern NOT_NULL = Pattern.compile("(?is).*\\bSET\\s+NOT\\s+NULL\\b.*");
    private static final Pattern UNIQUE_OR_KEY = Pattern.compile("(?is).*\\bADD\\s+(CONSTRAINT\\s+\\S+\\s+)?(PRIMARY\\s+KEY|UNIQUE)\\b.*");

    private HazardRules() {
    }

    static List<Hazard> find(Migration migration, List<TableFacts> tables, Duration maxBlocking) {
        List<Hazard> hazards = new ArrayList<>();
        for (TableFacts t : tables) {
            boolean hasRows = t.rows() != 0;
            boolean blocksWrites = t.lock() != null && t.lock().blocksWrites();
            if (t.rewrite() != null && hasRows) {
                hazards.add(hazard(migration, HazardKind.TABLE_REWRITE, t, evidence(t, "rewriting table"),
                        rewriteAdvice(t.rewrite())));
            }
            if (t.rewrite() == null && blocksWrites && hasRows) {
                for (Map.Entry<String, String> index : t.indexes().entrySet()) {
                    hazards.add(hazard(migration, HazardKind.BLOCKING_INDEX_BUILD, t,
                            "built index " + index.getKey() + " under " + t.lock().sqlName()
                                    + statementEvidence(index.getValue()),
                            UNIQUE_OR_KEY.matcher(index.getValue()).matches()
                                    ? "CREATE UNIQUE INDEX CONCURRENTLY in a migration of its own, outside a "
                                    + "transaction, then ADD CONSTRAINT ... USING INDEX"
                                    : "CREATE INDEX CONCURRENTLY in a migration of its own, outside a transaction"));
                    break;
                }
            }
            if (t.rewrite() == null && t.scan() != null && blocksWrites && hasRows) {
                hazards.add(hazard(migration, HazardKind.SCAN_UNDER_EXCLUSIVE_LOCK, t,
                        evidence(t, "verifying table", "validating foreign key") + statementEvidence(t.scan()),
                        NOT_NULL.matcher(t.scan()).matches()
                                ? "ADD CONSTRAINT ... CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a "
                                + "migration of its own, then SET NOT NULL, which skips the scan"
                                : "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a migration of its own"));
            }
            boolean longRead = t.readsBlocked().compareTo(maxBlocking) > 0
                    || t.lock() != null && t.lock().blocksReads() && t.held().compareTo(maxBlocking) > 0;
            if (longRead) {
                hazards.add(hazard(migration, HazardKind.LONG_EXCLUSIVE_LOCK, t,
                        "reads blocked longer than max-blocking " + maxBlocking.toMillis() + " ms",
                        "keep statements that take ACCESS EXCLUSIVE in short transactions of their own: move "
                                + "backfills and long statements out or split the migration, and set lock_timeout"));
            }
        }
        return hazards;
    }

    private static Hazard hazard(Migration migration, HazardKind kind, TableFacts t, String evidence, String advice) {
        return new Hazard(migration, kind, t.table(), t.rows(), t.lock(), t.held(), t.readsBlocked(),
                t.writesBlocked(), evidence, advice);
    }

    private static String rewriteAdvice(String sql) {
        if (ADD_COLUMN.matcher(sql).matches()) {
            return "add the column without a default (or with a constant one), backfill it in batches, then SET DEFAULT";
        }
        if (ALTER_TYPE.matcher(sql).matches()) {
            return "add a column of the new type, backfill it in batches, switch reads to it, then drop the old one";
        }
        if (VACUUM_FULL.matcher(sql).matches()) {
            return "leave VACUUM FULL and CLUSTER out of migrations (pg_repack rewrites without the long lock)";
        }
        return "avoid rewriting a table with rows under ACCESS EXCLUSIVE: add a new column or table, backfill it in "
                + "batches, then switch";
    }

    private static String evidence(TableFacts t, String... prefixes) {
        List<String> found = new ArrayList<>();
        for (String m : t.messages()) {
            for (String p : prefixes) {
                if (m.startsWith(p)) {
                    found.add(m);
                }
            }
        }
        if (found.isEmpty() && t.rewrite() != null && t.rewrite().isEmpty()) {
            return "the table's file changed";
        }
        return found.isEmpty() ? "" : "server: " + String.join(", ", found);
    }

    private static String statementEvidence(String sql) {
        if (sql == null || sql.isBlank()) {
            return "";
        }
        String one = sql.strip().replaceAll("\\s+", " ").replaceAll(";+$", "");
        return " in \"" + (one.length() > 120 ? one.substring(0, 117) + "..." : one) + "\"";
    }
}
