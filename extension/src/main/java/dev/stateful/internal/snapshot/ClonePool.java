package dev.stateful.internal.snapshot;

import dev.stateful.internal.Server;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready clones of each snapshot ({@code test__clone_N}), filled in the background, so that a
 * restore is two renames instead of a copy.
 */
final class ClonePool {
    private static final Logger LOG = LoggerFactory.getLogger(ClonePool.class);
    private final Server db;
    private final int size;
    private final BackgroundWork background;
    private final Map<String, Deque<String>> ready = new HashMap<>();
    private final Map<String, Future<?>> refills = new HashMap<>();
    private int counter;

    /**
     * @param db the server
     * @param size how many ready clones to keep per snapshot (0: none)
     * @param background the handle's background thread
     */
    ClonePool(Server db, int size, BackgroundWork background) {
        this.db = db;
        this.size = size;
        this.background = background;
    }

    /** A new name for a database of this server: {@code <database><infix><N>}. */
    synchronized String newName(String infix) {
        return db.database() + infix + (++counter);
    }

    /** Return a ready clone, waiting for a refill in flight; {@code null} when the pool is off or empty. */
    String take(String name) {
        if (size == 0) {
            return null;
        }
        Future<?> inFlight;
        synchronized (this) {
            Deque<String> clones = ready.get(name);
            if (clones != null && !clones.isEmpty()) {
                return clones.poll();
            }
            inFlight = refills.get(name);
        }
        if (inFlight == null) {
            return null;
        }
        try {
            inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
        synchronized (this) {
            Deque<String> clones = ready.get(name);
            return clones == null ? null : clones.poll();
        }
    }

    /**
     * Fill the pool of a snapshot up to its size, in the background.
     *
     * @param name the snapshot
     * @param snapshotDatabase its template database
     */
    synchronized void refill(String name, String snapshotDatabase) {
        if (size == 0) {
            return;
        }
        int missing = size - ready.getOrDefault(name, new ArrayDeque<>()).size();
        for (int i = 0; i < missing; i++) {
            String clone = newName("__clone_");
            refills.put(name, background.submit(() -> {
                try {
                    TemplateDatabases.create(db, clone, snapshotDatabase);
                    synchronized (this) {
                        ready.computeIfAbsent(name, k -> new ArrayDeque<>()).add(clone);
                    }
                } catch (SQLException e) {
                    LOG.debug("could not fill the snapshot pool of '{}': {}", name, e.getMessage());
                }
                return null;
            }));
        }
    }

    /** Wait for refills of a snapshot and drop its ready clones: for a retaken or dropped snapshot. */
    void discard(String name) {
        Future<?> inFlight;
        synchronized (this) {
            inFlight = refills.remove(name);
        }
        if (inFlight != null) {
            try {
                inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.debug("refill of '{}' failed: {}", name, e.getMessage());
            }
        }
        Deque<String> clones;
        synchronized (this) {
            clones = ready.remove(name);
        }
        if (clones != null) {
            clones.forEach(clone -> TemplateDatabases.dropQuietly(db, clone));
        }
    }

    /** Forget the pool (the background thread is stopped by its owner). */
    synchronized void clear() {
        ready.clear();
        refills.clear();
    }
}
