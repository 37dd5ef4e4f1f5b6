package dev.stateful.junit;

import dev.stateful.StatefulPostgres;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Own a handle in the extension store: JUnit closes it at the end of its scope, and the volume
 * is removed or kept according to the {@link CleanupMode}.
 */
final class ManagedHandle implements AutoCloseable {
    static final String BASELINE = "stateful_baseline";

    private final StatefulPostgres handle;
    private final CleanupMode cleanup;
    private final Reset reset;
    private volatile boolean failed;
    private boolean baselineTaken;
    private long lastWriteMark;

    ManagedHandle(StatefulPostgres handle, CleanupMode cleanup, Reset reset) {
        this.handle = handle;
        this.cleanup = cleanup;
        this.reset = reset;
    }

    StatefulPostgres handle() {
        return handle;
    }

    /**
     * Bring the database to the baseline before a test: take the baseline before the first
     * test, restore it before later ones unless no write transaction ran since.
     */
    synchronized void beforeTest() {
        if (reset != Reset.BEFORE_EACH) {
            return;
        }
        if (!baselineTaken) {
            handle.snapshot(BASELINE);
            baselineTaken = true;
        } else if (handle.nextTransactionId() != lastWriteMark) {
            if (!handle.snapshots().contains(BASELINE)) {
                throw new ExtensionConfigurationException("@WithVolume(reset = BEFORE_EACH) on " + handle
                        + ": the baseline snapshot taken before the first test is gone (a test removed the volume or "
                        + "dropped the snapshot); expected it to last for the whole class. Fix: give tests that remove "
                        + "the volume their own method-level @WithVolume, or use reset = Reset.NONE.");
            }
            handle.restore(BASELINE);
        }
        lastWriteMark = handle.nextTransactionId();
    }

    /**
     * Build the state a method asks for from the baseline: from its snapshot when an earlier
     * method asked for the same, otherwise by restoring and migrating, then keeping a snapshot.
     */
    synchronized void prepareForTest(Preparation state) {
        if (reset == Reset.NONE) {
            state.apply(handle);
            return;
        }
        String name = state.snapshotName();
        if (handle.snapshots().contains(name)) {
            handle.restore(name);
        } else {
            state.apply(handle);
            handle.snapshot(name);
        }
    }

    void markFailed() {
        failed = true;
    }

    @Override
    public void close() {
        boolean remove = cleanup == CleanupMode.ALWAYS || (cleanup == CleanupMode.ON_SUCCESS && !failed);
        if (remove) {
            handle.discard();
        } else {
            handle.close();
        }
    }
}
