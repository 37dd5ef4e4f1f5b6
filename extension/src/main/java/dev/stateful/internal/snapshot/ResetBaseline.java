package dev.stateful.internal.snapshot;

/**
 * What a table-level reset compares a database against (the catalog's hash, the tables with their
 * columns, keys and sizes, the sequences' states, the tables logical decoding can tell), read
 * once from a database: the same for every exact copy of it, so it is handed to each class
 * database copied from one template instead of being read again per class. Opaque, immutable.
 * Not API.
 */
public final class ResetBaseline {
    final ChangeDetection.Baseline baseline;

    ResetBaseline(ChangeDetection.Baseline baseline) {
        this.baseline = baseline;
    }
}
