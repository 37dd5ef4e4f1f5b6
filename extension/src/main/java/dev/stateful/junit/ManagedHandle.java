package dev.stateful.junit;

import dev.stateful.StatefulPostgres;

/**
 * Own a handle in the extension store: JUnit closes it at the end of its scope, and the volume
 * is removed or kept according to the {@link CleanupMode}.
 */
final class ManagedHandle implements AutoCloseable {
    private final StatefulPostgres handle;
    private final CleanupMode cleanup;
    private volatile boolean failed;

    ManagedHandle(StatefulPostgres handle, CleanupMode cleanup) {
        this.handle = handle;
        this.cleanup = cleanup;
    }

    StatefulPostgres handle() {
        return handle;
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
