package dev.stateful.migrate;

import java.util.List;

/** Format the migration errors: the thing, the value, what was expected, and the fix. */
final class MigrationMessages {
    private MigrationMessages() {
    }

    static String unknownTarget(String target, List<String> locations, List<String> available) {
        return "Target version " + target + " is unknown: the migrations in " + locations + " have "
                + (available.isEmpty() ? "no versions at all" : "versions " + String.join(", ", available))
                + ". Expected one of these, or 'latest'. Fix: pass an existing version to migrateTo(...), or add "
                + "a script V" + target + "__<description>.sql to one of the locations.";
    }

    static String backwards(String database, String target, String current) {
        return "Cannot migrate database '" + database + "' back to version " + target + ": it is at version "
                + current + " already, and Flyway migrates forward only. Expected a target at or above " + current
                + ". Fix: start from a database below version " + target + " (a fresh volume, or a dump restored "
                + "with restoreDump made at that version), then call migrateTo(\"" + target + "\").";
    }

    static String checksumMismatch(String database, Migration migration, Integer applied, Integer resolved,
            String table, List<String> locations) {
        return "Migration " + migration.script() + " (version " + migration.version() + ") was changed after it "
                + "was applied to database '" + database + "': its checksum in " + table + " is " + applied
                + ", the script in " + locations + " now has " + resolved + ". Expected applied migrations never "
                + "to change. Fix: revert the edit and put the change into a new migration; or, when the database "
                + "is disposable, start from a fresh one; or, when the edit is harmless (a comment, whitespace), "
                + "call migrations().repair() to record the new checksum.";
    }

    static String failedEarlier(String database, Migration migration, String table) {
        return "Database '" + database + "' holds a failed migration: " + table + " records " + migration.script()
                + (migration.version() == null ? "" : " (version " + migration.version() + ")")
                + " as failed, so its changes may be half applied. Expected no failed migration before migrating. "
                + "Fix: start from a fresh database (drop and recreate it, or a new volume); or undo what the "
                + "failed migration did by hand and call migrations().repair(), which removes the failed entry.";
    }

    static String missingLocation(String location, String where) {
        return "Migration location '" + location + "' does not exist: " + where + ". Expected a directory holding "
                + "scripts such as V1__create_tables.sql. Fix: put the scripts there (for 'classpath:db/migration', "
                + "src/main/resources/db/migration or src/test/resources/db/migration), or pass the right location "
                + "with MigrationSettings.withLocations(...).";
    }

    /**
     * Describe a failed migration.
     *
     * @param database the database name
     * @param migration the failed script
     * @param sqlState SQL state, or {@code null}
     * @param postgresMessage Postgres' message
     * @param line the script's line where the failing statement starts, or {@code -1}
     * @param statement the failing statement, or {@code null}
     * @param halfApplied whether the migration ran outside a transaction
     * @param currentVersion the schema version after the failure, or {@code null}
     * @param invalidIndexes indexes Postgres marked invalid, left behind by a failed
     *     {@code CREATE INDEX CONCURRENTLY}
     * @param table the history table
     * @return the message
     */
    static String failed(String database, Migration migration, String sqlState, String postgresMessage, int line,
            String statement, boolean halfApplied, String currentVersion, List<String> invalidIndexes,
            String table) {
        StringBuilder m = new StringBuilder();
        m.append("Migration ").append(migration.script());
        if (migration.version() != null) {
            m.append(" (version ").append(migration.version()).append(')');
        } else {
            m.append(" (repeatable)");
        }
        m.append(" failed on database '").append(database).append("': ");
        if (sqlState != null) {
            m.append("SQL state ").append(sqlState).append(", ");
        }
        m.append(postgresMessage.strip());
        if (line > 0) {
            m.append(", at line ").append(line);
        }
        if (statement != null && !statement.isBlank()) {
            m.append(" in statement: ").append(abbreviate(withoutLeadingComments(statement), 300));
        }
        m.append(". ");
        if (halfApplied) {
            m.append("It ran outside a transaction (it holds statements that Postgres cannot run in one, such as "
                    + "CREATE INDEX CONCURRENTLY), so the schema is HALF APPLIED: the statements before the failing "
                    + "one stay applied");
            if (!invalidIndexes.isEmpty()) {
                m.append(", and these indexes were left behind INVALID: ").append(String.join(", ", invalidIndexes));
            }
            m.append("; ").append(table).append(" records the migration as failed, so the next migrate refuses to "
                    + "run. Fix: correct ").append(migration.script()).append(", then start from a fresh database; "
                    + "or undo the partial changes by hand (DROP INDEX the invalid ones) and call "
                    + "migrations().repair() before migrating again.");
        } else {
            m.append("It ran in a transaction that Postgres rolled back, so nothing of it was applied: the schema "
                    + "is still at ").append(currentVersion == null ? "no version" : "version " + currentVersion)
                    .append(". Fix: correct ").append(migration.script()).append(" and migrate again.");
        }
        return m.toString();
    }

    static String flywayFailure(String what, String database, List<String> locations, String flywayMessage) {
        return "Flyway could not " + what + " database '" + database + "' with migrations in " + locations + ": "
                + flywayMessage.strip() + " Fix: see Flyway's reason above; check the script names "
                + "(V<version>__<description>.sql, R__<description>.sql) and the MigrationSettings.";
    }

    static String withoutLeadingComments(String statement) {
        return statement.strip().replaceFirst("^(\\s*--[^\\n]*(\\R|$))+", "").strip();
    }

    static String abbreviate(String text, int max) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }
}
