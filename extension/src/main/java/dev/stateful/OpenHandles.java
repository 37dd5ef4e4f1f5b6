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

    private static void closeAll() {
        List<StatefulPostgres> open;
        synchronized (OpenHandles.class) {
            open = new ArrayList<>(OPEN);
        }
        for (StatefulPostgres handle : open) {
            try {
                handle.close();
            } catch (RuntimeException e) {
                LOG.warn("Could not clean up {} at shutdown: {}", handle, e.getMessage());
            }
        }
    }
}
