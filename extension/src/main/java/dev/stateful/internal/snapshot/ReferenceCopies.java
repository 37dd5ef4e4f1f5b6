package dev.stateful.internal.snapshot;

import dev.stateful.internal.Server;
import dev.stateful.internal.pg.SqlIdentifiers;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only clone of each snapshot ({@code test__ref_<name>}) that a table-level reset
 * copies rows from, created in the background when the snapshot is taken.
 */
final class ReferenceCopies {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceCopies.class);
    private final Server db;
    private final BackgroundWork background;
    private final Map<String, Future<?>> creations = new HashMap<>();

    ReferenceCopies(Server db, BackgroundWork background) {
        this.db = db;
        this.background = background;
    }

    /** The reference database of a snapshot (the name is checked by the caller). */
    String databaseOf(String name) {
        return db.database() + "__ref_" + name;
    }

    /**
     * Create the reference of a snapshot in the background, replacing an old one.
     *
     * @param name the snapshot
     * @param snapshotDatabase its template database
     */
    synchronized void create(String name, String snapshotDatabase) {
        String reference = databaseOf(name);
        creations.put(name, background.submit(() -> {
            try (Connection admin = db.connect("postgres"); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(reference));
                TemplateDatabases.create(admin, s, reference, snapshotDatabase);
            }
            return null;
        }));
    }

    /** Take the reference of a snapshot as made already ({@link #databaseOf(String)} exists, equal to the snapshot). */
    synchronized void adopt(String name) {
        creations.put(name, java.util.concurrent.CompletableFuture.completedFuture(null));
    }

    /** Wait for the reference of a snapshot; {@code false} when there is none or creating it failed. */
    boolean ready(String name) {
        Future<?> creation;
        synchronized (this) {
            creation = creations.get(name);
        }
        if (creation == null) {
            return false;
        }
        try {
            creation.get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            LOG.debug("no reference copy of snapshot '{}': {}", name, e.getCause().getMessage());
            return false;
        }
    }

    /** Wait for the creation of a snapshot's reference, then drop it. */
    void discard(String name) {
        Future<?> creation;
        synchronized (this) {
            creation = creations.remove(name);
        }
        if (creation == null) {
            return;
        }
        try {
            creation.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("reference of '{}' was not created: {}", name, e.getCause().getMessage());
        }
        TemplateDatabases.dropQuietly(db, databaseOf(name));
    }
}
