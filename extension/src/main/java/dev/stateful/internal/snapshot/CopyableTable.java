package dev.stateful.internal.snapshot;

import java.util.List;

/**
 * A table as a snapshot had it, to copy back: its name, the columns COPY may write (no generated
 * ones), its size, and its primary key's columns and their types (empty without a primary key).
 *
 * @param oid the table's oid
 * @param kind {@code r} for a table, {@code m} for a materialized view, {@code x} for a table COPY cannot name
 * @param qualified the quoted, schema-qualified name
 * @param columns the quoted columns COPY writes
 * @param bytes its size when the snapshot was taken
 * @param key the quoted columns of its primary key
 * @param keyTypes the types of those columns
 */
record CopyableTable(long oid, char kind, String qualified, List<String> columns, long bytes,
                     List<String> key, List<String> keyTypes) {
}
