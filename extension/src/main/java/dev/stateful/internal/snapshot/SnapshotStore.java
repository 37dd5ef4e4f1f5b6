package dev.stateful.internal.snapshot;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.StatefulException;
import dev.stateful.internal.Server;
import dev.stateful.internal.pg.SqlIdentifiers;
import dev.stateful.snapshot.Snapshots;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Take and restore database-level snapshots with Postgres template databases.
 *
 * <p>A snapshot named {@code base} of database {@code test} is a database
 * {@code test__snap_base} created with {@code CREATE DATABASE … TEMPLATE test} (with
 * {@code STRATEGY FILE_COPY} on Postgres 15 and later) and marked as a template that accepts no
 * connections. Restoring drops the database and creates it again from the snapshot. Both need
 * the database to themselves: other sessions connected to it are terminated first.
 *
 * <p>Fast path: a pool of ready clones of each snapshot ({@code test__clone_N}) is filled in the
 * background, so that a restore is two renames ({@code test} to {@code test__trash_N}, the clone
 * to {@code test}); the old database is dropped and the pool refilled asynchronously, on one
 * background thread per handle. With table-level reset the pool is filled only from the first
 * restore that needed a full clone on: the first such restore copies the snapshot.
 *
 * <p>Volume snapshots ({@link #snapshotVolume(String)}) copy the whole data directory into a
 * labelled volume {@code <volume>--snap-<name>} with the server stopped; they are removed when
 * the handle is closed ({@link #volumeSnapshotVolumes()} lists them for that).
 *
 * <p>The implementation behind {@code StatefulPostgres.snapshot/restore/snapshots()}; it works on
 * the narrow {@link Server} view of the handle. Tests use the handle's verbs. The pool is a
 * {@link ClonePool}, table-level resets a {@link TableReset} copying from {@link ReferenceCopies},
 * and the SQL of template databases is in {@link TemplateDatabases}.
 */
public final class SnapshotStore implements Snapshots, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    /** One rule for database and volume snapshots: what both a Docker volume name and a quoted identifier allow. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");
    /** Postgres' NAMEDATALEN - 1. */
    private static final int MAX_IDENTIFIER_BYTES = 63;
    private static final String MARK = "__snap_";

    private final Server db;
    private final java.util.Set<String> volumeSnapshots = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    private final boolean tableLevel;
    private final TableReset tableReset;
    private final AdminConnection adminConnection;
    private final BackgroundWork background;
    private final ClonePool pool;
    private final ReferenceCopies references;
    private volatile Path lastPath;

    /**
     * Create the snapshot store of one server.
     *
     * @param db the server
     * @param poolSize how many ready clones to keep per snapshot (0: none)
     * @param tableLevel whether a restore may put back only the tables that changed
     */
    public SnapshotStore(Server db, int poolSize, boolean tableLevel) {
        this.db = db;
        this.tableLevel = tableLevel;
        this.tableReset = new TableReset(db);
        this.adminConnection = new AdminConnection(db);
        this.background = new BackgroundWork(db.volumeName());
        this.pool = new ClonePool(db, poolSize, background);
        this.references = new ReferenceCopies(db, background);
    }

    /**
     * Check a snapshot name against the one rule for database and volume snapshots.
     *
     * @param name the name
     * @return the name
     * @throws InvalidArgumentException when it breaks the rule
     */
    public static String validate(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidArgumentException("snapshot name '" + name + "' is invalid; expected 1 to 40 characters "
                    + "of letters, digits, '_', '-' and '.', starting with a letter or digit. Fix: use a name such as "
                    + "'baseline' or 'with-role'.");
        }
        return name;
    }

    String databaseOf(String name) {
        String snapshot = db.database() + MARK + validate(name);
        int bytes = snapshot.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_IDENTIFIER_BYTES) {
            throw new InvalidArgumentException("snapshot name '" + name + "' is too long for database '" + db.database()
                    + "': the snapshot database '" + snapshot + "' has " + bytes + " bytes; expected at most "
                    + MAX_IDENTIFIER_BYTES + ", because Postgres cuts longer names. Fix: use a name of at most "
                    + (MAX_IDENTIFIER_BYTES - (bytes - name.length())) + " characters.");
        }
        return snapshot;
    }

    /**
     * Take a database snapshot, replacing one of the same name.
     *
     * @param name the snapshot name
     */
    public void snapshot(String name) {
        String snapshot = databaseOf(name);
        pool.discard(name);
        discardReference(name);
        long started = System.nanoTime();
        try (AdminConnection.Session session = adminConnection.lend(); Statement s = session.connection().createStatement()) {
            Connection admin = session.connection();
            TemplateDatabases.dropIfExists(admin, s, snapshot);
            tableReset.closeOwn();
            TemplateDatabases.terminateSessions(admin, db.database());
            TemplateDatabases.create(admin, s, snapshot, db.database());
            s.execute("ALTER DATABASE " + SqlIdentifiers.quote(snapshot) + " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
        } catch (SQLException e) {
            db.failIfNotRunning("snapshot('" + name + "')", e);
            throw new StatefulException("cannot take snapshot '" + name + "' of database '" + db.database() + "': "
                    + e.getMessage() + ". Fix: make sure no other client holds the database open.", e);
        }
        LOG.info("Took snapshot '{}' of {} in {} ms", name, db.database(), (System.nanoTime() - started) / 1_000_000);
        if (tableLevel) {
            tableReset.baseline(name);
        }
        if (tableReset.tracks(name)) {
            // Restores go table by table: the pool is filled at the first one that needs a full
            // clone, not now (on a big database a clone nobody uses costs a copy of it).
            references.create(name, snapshot);
        } else {
            pool.refill(name, snapshot);
        }
    }

    /**
     * Take as snapshot {@code name} a snapshot database made ahead, without a copy: the caller made
     * it ({@code <database>__snap_<name>}, a template accepting no connections) equal to this
     * database and knows that nothing wrote to the database since. With {@code referenceMade} a
     * reference copy ({@code <database>__ref_<name>}) was made beside it, equal too.
     *
     * @param name the snapshot name
     * @param referenceMade whether the reference copy exists already
     */
    public void adoptSnapshot(String name, boolean referenceMade) {
        adoptSnapshot(name, referenceMade, null);
    }

    /**
     * Take a snapshot made ahead, as {@link #adoptSnapshot(String, boolean)}, with the reset's
     * baseline read from another exact copy of the same template when there is one.
     *
     * @param name the snapshot name
     * @param referenceMade whether the reference copy exists already
     * @param known the baseline of another copy of the template this database was copied from, or
     *     {@code null} to read it here
     * @return the reset's baseline, to hand to the next copy of the template; {@code null} when the
     *     reset does not go table by table
     */
    public ResetBaseline adoptSnapshot(String name, boolean referenceMade, ResetBaseline known) {
        String snapshot = databaseOf(name);
        ResetBaseline baseline = null;
        if (tableLevel) {
            baseline = tableReset.baseline(name, known);
        }
        if (tableReset.tracks(name)) {
            if (referenceMade) {
                references.adopt(name);
            } else {
                references.create(name, snapshot);
            }
        } else {
            if (referenceMade) {
                TemplateDatabases.dropQuietly(db, references.databaseOf(name));
            }
            pool.refill(name, snapshot);
        }
        LOG.debug("Took snapshot '{}' of {} from a copy made ahead", name, db.database());
        return baseline;
    }

    /**
     * Put the database back to a snapshot.
     *
     * @param name a snapshot taken with {@link #snapshot(String)}
     */
    public void restore(String name) {
        if (resetTables(name)) {
            lastPath = Path.TABLES;
            return;
        }
        String clone = pool.take(name);
        if (clone != null && swapIn(name, clone)) {
            lastPath = Path.POOLED_CLONE;
            tableReset.clonedFrom(name);
            pool.refill(name, databaseOf(name));
            return;
        }
        copyIn(name);
        lastPath = Path.COPY;
        tableReset.clonedFrom(name);
        pool.refill(name, databaseOf(name));
    }

    /** How a restore was done. */
    public enum Path {
        /** Only the changed tables and sequences were copied back. */
        TABLES,
        /** A ready clone from the pool was renamed into place. */
        POOLED_CLONE,
        /** The database was created again from the snapshot. */
        COPY
    }

    /**
     * Tell how the last restore was done, for tests of the reset paths.
     *
     * @return the path, or null before the first restore
     */
    public Path lastPath() {
        return lastPath;
    }

    /**
     * Tell where the time of the last table-level restore went, for tests and benchmarks.
     *
     * @return its steps, all zero before the first one
     */
    public ResetSteps lastSteps() {
        return tableReset.lastSteps();
    }

    /**
     * Read the keys a test wrote from a temporary logical slot (the default) or scan the tables
     * written instead, as before; takes effect at the next snapshot or full clone. For
     * benchmarks that compare both, and tests.
     *
     * @param on whether to decode
     */
    public void decodeChanges(boolean on) {
        tableReset.decodeChanges(on);
    }

    /**
     * Tell whether the reset follows the database with a logical slot now, for tests.
     *
     * @return whether a slot is held
     */
    public boolean decoding() {
        return tableReset.decoding();
    }

    /** How many tables restores have put back row by row (see {@link TableReset}); for tests. */
    public long rowByRowTables() {
        return tableReset.rowByRowTables();
    }

    /**
     * Copy back only what changed, when that is exact: see {@link TableReset}, which ends every
     * other session of the database first and waits until none is attached, so that all have
     * flushed their statistics.
     */
    private boolean resetTables(String name) {
        if (!tableReset.tracks(name) || !references.ready(name)) {
            return false;
        }
        return tableReset.reset(name, references.databaseOf(validate(name)));
    }

    /** Forget the table-level baseline of a snapshot and drop its reference copy. */
    private void discardReference(String name) {
        tableReset.forget(name);
        references.discard(validate(name));
    }

    /** Put a ready clone in place of the database: two renames; the old one is dropped later. */
    private boolean swapIn(String name, String clone) {
        long started = System.nanoTime();
        String trash = pool.newName("__trash_");
        try (AdminConnection.Session session = adminConnection.lend(); Statement s = session.connection().createStatement()) {
            Connection admin = session.connection();
            tableReset.closeOwn();
            TemplateDatabases.terminateSessions(admin, db.database());
            admin.setAutoCommit(false);
            try {
                s.execute("ALTER DATABASE " + SqlIdentifiers.quote(db.database()) + " RENAME TO " + SqlIdentifiers.quote(trash));
                s.execute("ALTER DATABASE " + SqlIdentifiers.quote(clone) + " RENAME TO " + SqlIdentifiers.quote(db.database()));
                admin.commit();
            } catch (SQLException e) {
                admin.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.debug("pooled clone {} unusable ({}); copying from the snapshot instead", clone, e.getMessage());
            return false;
        }
        background.submit(() -> {
            TemplateDatabases.dropQuietly(db, trash);
            return null;
        });
        LOG.debug("Restored snapshot '{}' of {} from a pooled clone in {} ms", name, db.database(),
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    private void copyIn(String name) {
        String snapshot = databaseOf(name);
        long started = System.nanoTime();
        try (AdminConnection.Session session = adminConnection.lend(); Statement s = session.connection().createStatement()) {
            Connection admin = session.connection();
            if (!TemplateDatabases.exists(admin, snapshot)) {
                throw new InvalidArgumentException("snapshot '" + name + "' does not exist for database '" + db.database()
                        + "'; expected one of " + list(admin) + ". Fix: call snapshot(\"" + name + "\") first.");
            }
            tableReset.closeOwn();
            TemplateDatabases.terminateSessions(admin, db.database());
            s.execute("DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(db.database()));
            TemplateDatabases.create(admin, s, db.database(), snapshot);
        } catch (SQLException e) {
            db.failIfNotRunning("restore('" + name + "')", e);
            throw new StatefulException("cannot restore snapshot '" + name + "' into database '" + db.database()
                    + "': " + e.getMessage(), e);
        }
        LOG.debug("Restored snapshot '{}' of {} in {} ms", name, db.database(), (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void drop(String name) {
        pool.discard(name);
        discardReference(name);
        String snapshot = databaseOf(name);
        try (AdminConnection.Session session = adminConnection.lend(); Statement s = session.connection().createStatement()) {
            Connection admin = session.connection();
            TemplateDatabases.dropIfExists(admin, s, snapshot);
        } catch (SQLException e) {
            db.failIfNotRunning("dropping snapshot '" + name + "'", e);
            throw new StatefulException("cannot drop snapshot '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public long nextTransactionId() {
        try (AdminConnection.Session session = adminConnection.lend(); Statement s = session.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            db.failIfNotRunning("reading the transaction counter (the reset's check for writes)", e);
            throw new StatefulException("cannot read the transaction counter of " + db + ": " + e.getMessage(), e);
        }
    }

    /**
     * The per-test check of the JUnit extension in one query on the kept admin session: the next
     * transaction id when the snapshot exists. No engine call: a server that answers is running
     * on its volume.
     *
     * @param name the snapshot
     * @return the next transaction id, or {@code -1} when the snapshot does not exist or the server
     *     does not answer (then the caller checks the container and the volume)
     */
    public long nextTransactionIdIfPresent(String name) {
        try (AdminConnection.Session session = adminConnection.lend();
             PreparedStatement ps = session.connection().prepareStatement("SELECT pg_snapshot_xmax(pg_current_snapshot())"
                     + "::text::bigint, EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)")) {
            ps.setString(1, databaseOf(name));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(2) ? rs.getLong(1) : -1;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{} did not answer the per-test check: {}", db, e.getMessage());
            return -1;
        }
    }

    @Override
    public List<String> names() {
        try (AdminConnection.Session session = adminConnection.lend()) {
            Connection admin = session.connection();
            return list(admin);
        } catch (SQLException e) {
            db.failIfNotRunning("listing snapshots", e);
            throw new StatefulException("cannot list snapshots: " + e.getMessage(), e);
        }
    }

    private List<String> list(Connection admin) throws SQLException {
        List<String> names = new ArrayList<>();
        String prefix = db.database() + MARK;
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT datname FROM pg_database WHERE starts_with(datname, ?) ORDER BY datname")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1).substring(prefix.length()));
                }
            }
        }
        return names;
    }

    /**
     * End the reset's own session, and with it its temporary logical slot, before something else
     * drops or replaces the database ({@code DROP DATABASE} refuses a database with an active
     * slot, also {@code WITH (FORCE)}): a dump restored into it, a rebuild of the class's state.
     * The next reset opens a new one.
     */
    public void endResetSession() {
        tableReset.closeOwn();
    }

    @Override
    public synchronized void close() {
        background.close(db.sharesServer());
        tableReset.close();
        adminConnection.close();
        pool.clear();
    }

    @Override
    public void snapshotVolume(String name) {
        validate(name);
        db.requireOwnServer("snapshots().snapshotVolume(\"" + name + "\")");
        synchronized (db.lock()) {
            boolean running = db.isRunning();
            if (running) {
                db.stop();
            }
            VolumeSnapshots.snapshot(db.engine(), db.image(), db.volumeName(), name);
            volumeSnapshots.add(name);
            if (running) {
                db.start();
            }
        }
    }

    @Override
    public void restoreVolume(String name) {
        validate(name);
        db.requireOwnServer("snapshots().restoreVolume(\"" + name + "\")");
        synchronized (db.lock()) {
            if (db.isRunning()) {
                db.stop();
            }
            VolumeSnapshots.restore(db.engine(), db.image(), db.volumeName(), name);
            db.start();
        }
    }

    /**
     * List the volumes that hold this store's volume snapshots, for the handle's cleanup.
     *
     * @return volume names
     */
    public List<String> volumeSnapshotVolumes() {
        List<String> volumes = new ArrayList<>();
        for (String name : List.copyOf(volumeSnapshots)) {
            volumes.add(VolumeSnapshots.volumeOf(db.volumeName(), name));
        }
        return volumes;
    }
}
