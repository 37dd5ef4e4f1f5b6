package dev.stateful.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class databases a shared server drops in the background once their class ended, on one
 * daemon thread per server: the next class does not wait for them. The server's removal at the
 * end of the run waits for the drops in flight ({@link #finish}, with a deadline) and reports
 * each drop that failed as a leftover, as the class's own cleanup did when it dropped them itself.
 */
final class DatabaseDrops {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseDrops.class);

    /** One drop: what it drops (for messages) and the work, which adds what it could not drop to the list. */
    interface Drop {
        void run(List<String> leftovers);
    }

    private final String server;
    private final List<String> failed = new ArrayList<>();
    private ExecutorService executor;
    private int pending;
    private boolean finished;

    DatabaseDrops(String server) {
        this.server = server;
    }

    /** Run a drop in the background; it is run now, on the caller's thread, once the server is finishing. */
    void submit(Drop drop) {
        synchronized (this) {
            if (!finished) {
                if (executor == null) {
                    executor = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "stateful-shared-server-drops-" + server);
                        t.setDaemon(true);
                        return t;
                    });
                }
                pending++;
                executor.execute(() -> runCounted(drop));
                return;
            }
        }
        run(drop);
    }

    private void runCounted(Drop drop) {
        try {
            run(drop);
        } finally {
            synchronized (this) {
                pending--;
                notifyAll();
            }
        }
    }

    private void run(Drop drop) {
        List<String> leftovers = new ArrayList<>();
        try {
            drop.run(leftovers);
        } catch (RuntimeException e) {
            leftovers.add("a class database (" + e.getMessage() + ")");
        }
        if (!leftovers.isEmpty()) {
            LOG.warn("Could not drop {} from the shared server {} after its class", String.join(", ", leftovers), server);
            synchronized (this) {
                failed.addAll(leftovers);
            }
        }
    }

    /**
     * Wait for the drops in flight, at most {@code timeoutMillis}, and stop the thread; add what
     * could not be dropped, and the drops still running at the deadline, to {@code leftovers}.
     *
     * @param timeoutMillis how long to wait at most
     * @param leftovers where the failures go
     */
    void finish(long timeoutMillis, List<String> leftovers) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (this) {
            finished = true;
            if (executor != null) {
                executor.shutdown();
            }
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    leftovers.add(pending + " class database drop(s) still running after " + timeoutMillis + " ms");
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    leftovers.add(pending + " class database drop(s) not waited for (interrupted)");
                    break;
                }
            }
            leftovers.addAll(failed);
            failed.clear();
        }
    }
}
