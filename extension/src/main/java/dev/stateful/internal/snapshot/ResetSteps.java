package dev.stateful.internal.snapshot;

/**
 * Where the time of one table-level reset went, in nanoseconds, for tests, benchmarks and the
 * debug log. Not API.
 *
 * @param barrier ending the other sessions of the database and waiting until they are gone
 *     (each flushes its statistics as it ends)
 * @param connection getting the reset's own connection to the database (zero when it is kept open)
 * @param counters reading the server's identity and every relation's counters
 * @param decode reading the keys written from the logical slot (zero without one)
 * @param plan comparing them with the mark: catalog hash when catalog rows were written, sequences
 * @param copy putting back the changed rows, tables and sequences
 * @param mark advancing the slot past the reset's writes and reading the counters again as the next mark
 * @param total the whole reset
 */
public record ResetSteps(long barrier, long connection, long counters, long decode, long plan, long copy, long mark,
                         long total) {
    /** No reset timed yet. */
    static final ResetSteps NONE = new ResetSteps(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * The steps as one line of milliseconds, for logs.
     *
     * @return such as {@code total 12.3 ms (barrier 1.0, connection 0.0, ...)}
     */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "total %.1f ms (barrier %.1f, connection %.1f, counters %.1f, "
                        + "decode %.1f, plan %.1f, copy %.1f, mark %.1f)", ms(total), ms(barrier), ms(connection),
                ms(counters), ms(decode), ms(plan), ms(copy), ms(mark));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
