package dev.stateful;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Track open handles so that a shutdown hook closes what a test run forgot to. */
final class OpenHandles {
    private static final Logger LOG = LoggerFactory.getLogger(OpenHandles.class);
    private static final Set<StatefulPostgres> OPEN = new LinkedHashSet<>();
    private static final java.time.Duration SHUTDOWN_DEADLINE = java.time.Duration.ofSeconds(10);
    private static boolean hookInstalled;

    private OpenHandles() {
    }

    static synchronized void add(StatefulPostgres handle) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(OpenHandles::closeAll, "stateful-cleanup"));
            hookInstalled = true;
        }
        OPEN.add(handle);
    }

    static synchronized void remove(StatefulPostgres handle) {
        OPEN.remove(handle);
    }

    /**
     * Close what is still open, one thread per handle, until a deadline: a test thread may hold
     * a handle's lock (a test still running when the JVM exits). After the deadline, remove what
     * is left on a best effort without the lock.
     */
    private static void closeAll() {
        List<StatefulPostgres> open;
        synchronized (OpenHandles.class) {
            open = new ArrayList<>(OPEN);
        }
        List<Thread> closers = new ArrayList<>();
        for (StatefulPostgres handle : open) {
            Thread closer = new Thread(() -> {
                try {
                    handle.close();
                } catch (RuntimeException e) {
                    LOG.warn("Could not clean up {} at shutdown: {}", handle, e.getMessage());
                }
            }, "stateful-cleanup-" + handle.volumeName());
            closer.setDaemon(true);
            closer.start();
            closers.add(closer);
        }
        long deadline = System.nanoTime() + SHUTDOWN_DEADLINE.toNanos();
        for (int i = 0; i < closers.size(); i++) {
            try {
                closers.get(i).join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (closers.get(i).isAlive()) {
                LOG.warn("Cleanup of {} at shutdown waits for a test thread; removing it without the lock", open.get(i));
                open.get(i).removeUnlocked();
            }
        }
    }
}
