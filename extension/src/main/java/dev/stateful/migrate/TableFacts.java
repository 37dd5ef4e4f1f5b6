package dev.stateful.migrate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one migration did to one table that existed before it: the input of {@link HazardRules}.
 *
 * @param table {@code schema.table}
 * @param rows rows before the migration, {@code -1} when unknown
 * @param lock the strongest lock taken, or {@code null} when none was seen
 * @param held how long it was held
 * @param readsBlocked the longest blocked stretch of a read
 * @param writesBlocked the longest blocked stretch of a write
 * @param rewrite the statement that rewrote the table, {@code ""} when only its new file tells, or
 *     {@code null} when it was not rewritten
 * @param scan the statement that scanned it to validate a constraint, or {@code null}
 * @param indexes index name to the statement that built it
 * @param messages the server's messages about the table
 */
record TableFacts(String table, long rows, LockMode lock, Duration held, Duration readsBlocked, Duration writesBlocked,
                  String rewrite, String scan, Map<String, String> indexes, List<String> messages) {
}
