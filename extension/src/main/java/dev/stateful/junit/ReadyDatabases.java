package dev.stateful.junit;

import dev.stateful.internal.PostgresContainer;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.pg.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Class databases made ahead from one template database on the shared server: each ready entry is
 * a database {@code r_<hex>} with its baseline snapshot {@code r_<hex>__snap_stateful_baseline}
 * (a template accepting no connections) and the reset's reference copy
 * {@code r_<hex>__ref_stateful_baseline}, all three copies of the template. A class takes one by
 * renames ({@link PostgresContainer#startFromReady}); the pool is filled again in the background.
 * At most {@link #SIZE} entries are ready or being made, so the pool costs at most
 * {@code 3 x SIZE} copies of the template on the server's volume; it goes with the server at the
 * end of the run.
 */
final class ReadyDatabases {
    /** How many entries are kept ready per template. */
    static final int SIZE = 2;
    /** What the names of the databases made beside a ready one end with. */
    static final List<String> SUFFIXES = List.of(snapshotSuffix(), referenceSuffix());
    private static final Logger LOG = LoggerFactory.getLogger(ReadyDatabases.class);

    private final PostgresContainer server;
    private final String template;
    private final ExecutorService background;
    private final Deque<String> ready = new ArrayDeque<>();
    private int making;
    private boolean closed;

    ReadyDatabases(PostgresContainer server, String template, ExecutorService background) {
        this.server = server;
        this.template = template;
        this.background = background;
    }

    static String snapshotSuffix() {
        return "__snap_" + ManagedHandle.BASELINE;
    }

    static String referenceSuffix() {
        return "__ref_" + ManagedHandle.BASELINE;
    }

    /**
     * Take a ready entry; {@code null} when none is ready (the caller copies the template itself:
     * one copy now is faster than waiting for the three of an entry being made). Starts making new
     * ones when none is left; otherwise the caller fills the pool again once its class's baseline
     * is taken ({@link #fill()}): the reset's logical slot, created then, waits for every
     * transaction running on the server, a {@code CREATE DATABASE} of the pool among them.
     */
    String take() {
        String taken;
        boolean empty;
        synchronized (this) {
            taken = ready.poll();
            empty = ready.isEmpty();
        }
        if (taken == null || empty) {
            fill();
        }
        return taken;
    }

    /** Start making entries in the background up to {@link #SIZE}. */
    void fill() {
        synchronized (this) {
            if (closed) {
                return;
            }
            int missing = SIZE - ready.size() - making;
            making += Math.max(0, missing);
            for (int i = 0; i < missing; i++) {
                background.execute(this::makeOne);
            }
        }
    }

    private void makeOne() {
        String name = "r_" + VolumeNames.randomHex(4);
        long started = System.nanoTime();
        boolean made = false;
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            String strategy = c.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY FILE_COPY" : "";
            for (String database : List.of(name + snapshotSuffix(), name + referenceSuffix(), name)) {
                s.execute("CREATE DATABASE " + SqlIdentifiers.quote(database) + " TEMPLATE "
                        + SqlIdentifiers.quote(template) + strategy);
            }
            s.execute("ALTER DATABASE " + SqlIdentifiers.quote(name + snapshotSuffix())
                    + " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
            made = true;
            LOG.info("Made class database {} ahead from template {} on the shared server (3 copies) in {} ms", name,
                    template, (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("could not make a class database ahead from template {}: {}", template, e.getMessage());
            if (!isClosed()) {
                dropQuietly(name);
            }
        } finally {
            synchronized (this) {
                making--;
                if (made) {
                    ready.add(name);
                }
            }
        }
    }

    private void dropQuietly(String name) {
        for (String database : List.of(name, name + referenceSuffix(), name + snapshotSuffix())) {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + SqlIdentifiers.quote(database) + " IS_TEMPLATE false");
                s.execute("DROP DATABASE " + SqlIdentifiers.quote(database));
            } catch (SQLException | RuntimeException e) {
                LOG.debug("could not drop {} (made ahead in part): {}", database, e.getMessage());
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Stop handing out entries (the run ends; the server and its databases are removed). */
    synchronized void close() {
        closed = true;
    }
}
