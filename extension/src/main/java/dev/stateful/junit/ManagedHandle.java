package dev.stateful.junit;

import dev.stateful.error.StartupException;
import dev.stateful.error.StatefulException;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.snapshot.SnapshotStore;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Own a handle in the extension store: JUnit closes it at the end of its scope, and the volume
 * is removed or kept according to the {@link CleanupMode}.
 *
 * <p>With {@link Reset#BEFORE_EACH} it brings the database back to the class's baseline before
 * each test, also after a test removed the volume, recreated the container with another image,
 * restored another volume or backup, or dropped the baseline: the prepared state (empty volume,
 * {@code @RestoredFrom}, {@code @MigratedTo}, from the state cache when its key matches) is built
 * again and a new baseline taken.
 *
 * <p>A {@link ExtensionContext.Store.CloseableResource}, not only an {@link AutoCloseable}: JUnit
 * closes the former at the end of the scope since 5.1, the latter only since 5.13. The interface
 * is deprecated since 5.13 and still closed by 6.x.
 */
@SuppressWarnings("deprecation") // ExtensionContext.Store.CloseableResource: closed by every JUnit from 5.1 to 6.x
final class ManagedHandle implements StoreResource {
    static final String BASELINE = "stateful_baseline";
    private static final Logger LOG = LoggerFactory.getLogger(ManagedHandle.class);

    /** Start a handle in the prepared state of its class or method. */
    interface PreparedState {
        void startOn(StatefulPostgres db) throws Exception;
    }

    private final StatefulPostgres handle;
    private final CleanupMode cleanup;
    private final Reset reset;
    private final String where;
    private final String image;
    private final boolean volumeCreatedHere;
    private final PreparedState prepared;
    private volatile boolean failed;
    private boolean baselineTaken;
    private long lastWriteMark;
    private long lastCheck;
    private volatile Runnable onClose = () -> { };
    private boolean resetForThisTest;
    private volatile java.util.function.BooleanSupplier baselineMadeAhead = () -> false;

    ManagedHandle(StatefulPostgres handle, CleanupMode cleanup, Reset reset, String where, boolean volumeCreatedHere,
                  PreparedState prepared) {
        this.handle = handle;
        this.cleanup = cleanup;
        this.reset = reset;
        this.where = where;
        this.image = handle.image();
        this.volumeCreatedHere = volumeCreatedHere;
        this.prepared = prepared;
    }

    /**
     * Take the first baseline from a snapshot made ahead when the given check says that is exact
     * (the shared server's class databases made ahead); otherwise it is taken as a copy.
     */
    void baselineMadeAheadWith(java.util.function.BooleanSupplier adopt) {
        baselineMadeAhead = adopt;
    }

    StatefulPostgres handle() {
        return handle;
    }

    /** Start the handle in its prepared state: before the first test, and again for a rebuild. */
    void startPrepared() {
        try {
            prepared.startOn(handle);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StatefulException("preparing the state of " + where + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Bring the database to the baseline before a test: take the baseline before the first
     * test, restore it before later ones unless no write transaction ran since, and rebuild the
     * prepared state when an earlier test removed what the baseline lives in.
     */
    synchronized void beforeTest() {
        if (reset != Reset.BEFORE_EACH) {
            return;
        }
        if (!baselineTaken) {
            if (!baselineMadeAhead.getAsBoolean()) {
                handle.snapshot(BASELINE);
            }
            baselineTaken = true;
        } else if (handle.image().equals(image) && fastCheck() >= 0) {
            // The server answered and the baseline is there: no engine call needed.
            if (lastCheck != lastWriteMark) {
                handle.restore(BASELINE);
            }
        } else {
            String lost = bringBackServer();
            if (lost == null && !handle.snapshots().names().contains(BASELINE)) {
                lost = "the baseline snapshot is gone";
            }
            if (lost != null) {
                rebuild(lost);
            } else if (handle.snapshots().nextTransactionId() != lastWriteMark) {
                handle.restore(BASELINE);
            }
        }
        lastWriteMark = handle.snapshots().nextTransactionId();
    }

    /** The next transaction id when the server answers and the baseline exists, else -1; kept in {@link #lastCheck}. */
    private long fastCheck() {
        lastCheck = handle.snapshots() instanceof SnapshotStore store ? store.nextTransactionIdIfPresent(BASELINE) : -1;
        return lastCheck;
    }

    /**
     * Reset for the coming test from code that must run it at its own point of the test's setup
     * (stateful-spring, before Spring opens the test's transaction). Whichever of that call and
     * the extension's own comes first in a test resets; the other does nothing, so a method-level
     * preparation done in between is not undone.
     */
    synchronized void beforeTestOnce() {
        if (!resetForThisTest) {
            beforeTest();
            resetForThisTest = true;
        }
    }

    /** The test ended: the next one is reset again. */
    synchronized void testEnded() {
        resetForThisTest = false;
    }

    /**
     * Run the server of the class again on its own image, after a test stopped it, removed the
     * volume or recreated the container with another image.
     *
     * @return why the baseline is lost, or {@code null} when it may still be there
     */
    private String bringBackServer() {
        if (!HandleAccess.server(handle).engine().volumeExists(handle.volumeName())) {
            return "a test removed the volume";
        }
        if (!handle.image().equals(image)) {
            try {
                handle.recreate(image);
            } catch (StartupException e) {
                return "the volume holds data that " + image + " cannot start on (" + firstLine(e.getMessage()) + ")";
            }
        } else if (!handle.isRunning()) {
            try {
                handle.start();
            } catch (StartupException e) {
                return "the server does not start on the volume (" + firstLine(e.getMessage()) + ")";
            }
        }
        return null;
    }

    private void rebuild(String lost) {
        long started = System.nanoTime();
        if (HandleAccess.server(handle).sharesServer()) {
            // Its own database on the shared server: dropped and built again; the server stays.
            // The reset's session and its temporary slot go first: DROP DATABASE refuses a database with an active slot.
            if (handle.snapshots() instanceof SnapshotStore store) {
                store.endResetSession();
            }
            ((dev.stateful.internal.PostgresContainer) HandleAccess.server(handle)).dropDatabaseOnHost();
            startPrepared();
            handle.snapshot(BASELINE);
            LOG.info("Rebuilt the prepared state of {} in database {} on the shared server because {}; took a new "
                    + "baseline in {} ms (what @BeforeAll methods wrote is not replayed)", where, handle.database(), lost,
                    (System.nanoTime() - started) / 1_000_000);
            return;
        }
        if (HandleAccess.server(handle).engine().volumeExists(handle.volumeName())) {
            if (!volumeCreatedHere) {
                throw new ExtensionConfigurationException("@WithVolume(reset = BEFORE_EACH) on " + where + ": "
                        + lost + " and volume '" + handle.volumeName() + "' held data before this class started, so "
                        + "its state cannot be built again; expected the baseline to last for the whole class. Fix: "
                        + "give the test that replaces the data its own method-level @WithVolume, or use "
                        + "reset = Reset.NONE.");
            }
            handle.removeVolume();
        }
        if (!handle.image().equals(image)) {
            handle.recreate(image);
            handle.removeVolume();
        }
        startPrepared();
        handle.snapshot(BASELINE);
        LOG.info("Rebuilt the prepared state of {} on volume {} because {}; took a new baseline in {} ms "
                        + "(what @BeforeAll methods wrote is not replayed)", where, handle.volumeName(), lost,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    /**
     * Build the state a method asks for from the baseline: from its snapshot when an earlier
     * method asked for the same, otherwise by restoring and migrating, then keeping a snapshot.
     */
    synchronized void prepareForTest(Preparation state) {
        if (reset == Reset.NONE) {
            state.apply(handle);
            return;
        }
        String name = state.snapshotName();
        if (handle.snapshots().names().contains(name)) {
            handle.restore(name);
        } else {
            state.apply(handle);
            handle.snapshot(name);
        }
    }

    /** Run {@code action} first when this handle closes. */
    void whenClosed(Runnable action) {
        onClose = action;
    }

    void markFailed() {
        failed = true;
    }

    @Override
    public void close() {
        onClose.run();
        boolean remove = cleanup == CleanupMode.ALWAYS || (cleanup == CleanupMode.ON_SUCCESS && !failed);
        if (remove) {
            handle.discard();
        } else {
            handle.close();
        }
    }
}
