package dev.stateful.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not API: tell whoever pools connections to a server that its sessions are about to end and
 * have ended (a snapshot, restore or dump restore ends them) or that it moved (the server
 * started again, maybe on another port). A connection pool (stateful-spring's) holds back new
 * connections while sessions are being ended, so none slips in between the termination and the
 * drop or copy of the database, and drops its connections afterwards, so the next borrow opens a
 * new one instead of handing out one the server ended.
 */
public final class SessionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);
    private static final Map<Server, List<Listener>> LISTENERS = Collections.synchronizedMap(new WeakHashMap<>());

    /** What a pool does around the end of a server's sessions. */
    public interface Listener {
        /** The server's sessions are about to be ended: open no new connection until {@link #sessionsEnded()}. */
        void sessionsEnding();

        /** The server's sessions ended, or it started again: drop the connections held. */
        void sessionsEnded();
    }

    /** The end of the sessions, in progress: closing it says they ended. */
    public interface Ending extends AutoCloseable {
        @Override
        void close();
    }

    private SessionEvents() {
    }

    /**
     * Call {@code listener} around each time the sessions of {@code server} end, and after it started.
     *
     * @param server the server
     * @param listener what to run; it must be quick and must not throw
     * @return closing it stops the calls
     */
    public static AutoCloseable listen(Server server, Listener listener) {
        LISTENERS.computeIfAbsent(server, s -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> {
            List<Listener> listeners = LISTENERS.get(server);
            if (listeners != null) {
                listeners.remove(listener);
            }
        };
    }

    /**
     * Say that the sessions of {@code server} are about to end.
     *
     * @param server the server
     * @return close it when they ended
     */
    public static Ending ending(Server server) {
        each(server, Listener::sessionsEnding);
        return () -> sessionsEnded(server);
    }

    /**
     * Say that the sessions of {@code server} ended or that it started again.
     *
     * @param server the server
     */
    public static void sessionsEnded(Server server) {
        each(server, Listener::sessionsEnded);
    }

    private static void each(Server server, java.util.function.Consumer<Listener> call) {
        List<Listener> listeners = LISTENERS.get(server);
        if (listeners == null) {
            return;
        }
        for (Listener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("A listener for the sessions of volume {} failed: {}", server.volumeName(), e.toString());
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
