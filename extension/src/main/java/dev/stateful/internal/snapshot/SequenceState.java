package dev.stateful.internal.snapshot;

/**
 * A sequence and where it stands.
 *
 * @param oid the sequence's oid
 * @param qualified the quoted, schema-qualified name
 * @param lastValue its {@code last_value}
 * @param called its {@code is_called}
 */
record SequenceState(long oid, String qualified, long lastValue, boolean called) {
    /** Whether it stands where the other does. */
    boolean sameAs(SequenceState other) {
        return other != null && lastValue == other.lastValue && called == other.called;
    }
}
