package dev.stateful.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not API: tell whoever pools connections to a server that its sessions ended or that it moved
 * (a snapshot or restore ended the sessions; the server started again, maybe on another port).
 * A connection pool (stateful-spring's) then drops its connections, so the next borrow opens a
 * new one instead of handing out a dead one.
 */
public final class SessionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);
    private static final Map<Server, List<Runnable>> LISTENERS = Collections.synchronizedMap(new WeakHashMap<>());

    private SessionEvents() {
    }

    /**
     * Call {@code listener} after each time the sessions of {@code server} ended or it started again.
     *
     * @param server the server
     * @param listener what to run; it must be quick and must not throw
     * @return closing it stops the calls
     */
    public static AutoCloseable listen(Server server, Runnable listener) {
        LISTENERS.computeIfAbsent(server, s -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> {
            List<Runnable> listeners = LISTENERS.get(server);
            if (listeners != null) {
                listeners.remove(listener);
            }
        };
    }

    /**
     * Tell the listeners of {@code server} that its sessions ended or it moved.
     *
     * @param server the server
     */
    public static void sessionsEnded(Server server) {
        List<Runnable> listeners = LISTENERS.get(server);
        if (listeners == null) {
            return;
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A listener for the sessions of {} failed: {}", server.volumeName(), e.toString());
            }
        }
    }

    /**
     * Forget the listeners of a server that is gone.
     *
     * @param server the server
     */
    public static void forget(Server server) {
        LISTENERS.remove(server);
    }
}
