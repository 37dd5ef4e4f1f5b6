package dev.stateful.internal.snapshot;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One background thread per handle, started on first use: pool refills, reference copies, drops. */
final class BackgroundWork implements AutoCloseable {
    private final String volumeName;
    private ExecutorService executor;

    BackgroundWork(String volumeName) {
        this.volumeName = volumeName;
    }

    synchronized <T> Future<T> submit(Callable<T> work) {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "stateful-snapshot-pool-" + volumeName);
                t.setDaemon(true);
                return t;
            });
        }
        return executor.submit(work);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
