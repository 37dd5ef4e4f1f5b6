package dev.stateful.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class databases a shared server drops in the background once their class ended, on one
 * daemon thread per server: the next class does not wait for them.
 *
 * <p>A drop is held back while a class on the server is being set up (from taking its database
 * to the end of its baseline): that setup creates the reset's logical slot, which waits for every
 * transaction running on the server, a {@code DROP DATABASE} among them. A held drop runs once the
 * setups in progress ended, at the latest {@value #MAX_HOLD_MILLIS} ms after it was asked for; one
 * asked for when no setup follows within {@value #GRACE_MILLIS} ms runs then.
 *
 * <p>The server's removal at the end of the run runs the drops still waiting and waits for them
 * ({@link #finish}, with a deadline), and reports each drop that failed as a leftover, as the
 * class's own cleanup did when it dropped them itself.
 */
final class DatabaseDrops {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseDrops.class);
    /** How long a drop waits for a following class to start its setup before it runs. */
    static final long GRACE_MILLIS = 1_000;
    /** How long class setups may hold a drop back at most. */
    static final long MAX_HOLD_MILLIS = 10_000;

    /** One drop: the work, which adds what it could not drop to the list. */
    interface Drop {
        void run(List<String> leftovers);
    }

    private record Pending(Drop drop, long askedAt, long setupsEndedAt) {
    }

    private final String server;
    private final List<String> failed = new ArrayList<>();
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Set<String> settingUp = new HashSet<>();
    /** How many class setups ended so far. */
    private long setupsEnded;
    private Thread worker;
    private boolean running;
    private boolean finished;

    DatabaseDrops(String server) {
        this.server = server;
    }

    /** A class's setup on the server begins: drops wait until it ended. */
    synchronized void setupBegins(String database) {
        settingUp.add(database);
    }

    /** A class's setup ended (or the class ended): held drops may run. */
    synchronized void setupEnded(String database) {
        if (settingUp.remove(database)) {
            setupsEnded++;
            notifyAll();
        }
    }

    /** Drop in the background; on the caller's thread once the server is finishing. */
    void submit(Drop drop) {
        synchronized (this) {
            if (!finished) {
                queue.add(new Pending(drop, System.nanoTime(), setupsEnded));
                if (worker == null) {
                    worker = new Thread(this::work, "stateful-shared-server-drops-" + server);
                    worker.setDaemon(true);
                    worker.start();
                }
                notifyAll();
                return;
            }
        }
        run(drop);
    }

    private void work() {
        while (true) {
            Pending next;
            synchronized (this) {
                try {
                    while (!mayRun(queue.peek())) {
                        if (queue.isEmpty() && finished) {
                            return;
                        }
                        wait(queue.isEmpty() ? 0 : 50);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                next = queue.poll();
                running = true;
            }
            try {
                run(next.drop());
            } finally {
                synchronized (this) {
                    running = false;
                    notifyAll();
                }
            }
        }
    }

    /** Whether a drop may run now (under the lock). */
    private boolean mayRun(Pending p) {
        if (p == null) {
            return false;
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - p.askedAt());
        if (finished || waited >= MAX_HOLD_MILLIS) {
            return true;
        }
        if (!settingUp.isEmpty()) {
            return false;
        }
        return setupsEnded > p.setupsEndedAt() || waited >= GRACE_MILLIS;
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
     * Run the drops still waiting, wait for them at most {@code timeoutMillis}, and stop the
     * thread; add what could not be dropped, and the drops not done at the deadline, to
     * {@code leftovers}.
     *
     * @param timeoutMillis how long to wait at most
     * @param leftovers where the failures go
     */
    void finish(long timeoutMillis, List<String> leftovers) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (this) {
            finished = true;
            notifyAll();
            while (!queue.isEmpty() || running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    leftovers.add((queue.size() + (running ? 1 : 0)) + " class database drop(s) not done after "
                            + timeoutMillis + " ms");
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    leftovers.add("class database drops not waited for (interrupted)");
                    break;
                }
            }
            leftovers.addAll(failed);
            failed.clear();
        }
    }
}
