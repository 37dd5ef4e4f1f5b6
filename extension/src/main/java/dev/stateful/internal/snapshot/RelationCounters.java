package dev.stateful.internal.snapshot;

/**
 * What the statistics system says of one relation at one moment, as {@link TableReset}
 * compares it between two readings.
 *
 * @param file the relation's {@code relfilenode} (a truncation or rewrite gives a new one)
 * @param writes the sum of its inserted, updated and deleted row counters
 * @param deletes its deleted row counter
 * @param live its live rows
 * @param maintenance how many vacuums and analyzes (manual or automatic) it has had
 */
record RelationCounters(long file, long writes, long deletes, long live, long maintenance) {
    /** Whether no row was written and the file is the same: nothing to put back. */
    boolean sameRowsAs(RelationCounters other) {
        return other != null && file == other.file && writes == other.writes;
    }
}
