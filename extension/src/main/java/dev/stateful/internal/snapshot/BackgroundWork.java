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
    public void close() {
        close(false);
    }

    /**
     * Stop the thread; with {@code wait}, also wait (at most a minute) for the work in flight to
     * end: a database being created on a shared server must exist before its owner drops its
     * databases, or it would stay there after the class.
     */
    void close(boolean wait) {
        ExecutorService running;
        synchronized (this) {
            running = executor;
            if (running == null) {
                return;
            }
            running.shutdownNow();
        }
        if (wait) {
            try {
                if (!running.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the snapshot work of volume " + volumeName
                            + " did not end within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
