package dev.stateful.cache;

import dev.stateful.StatefulSettings;
import dev.stateful.internal.cache.RegistryStore;
import dev.stateful.internal.engine.DockerEngine;
import java.io.IOException;

/**
 * The other JVM of the interrupted-transfer tests: it starts a transfer as Stateful does, prints
 * {@code READY <what it left> -} midway and waits until standard input ends, or a kill. Not a test
 * class.
 * <ul>
 *   <li>{@code pull <repository> <key>}: pulls the cache image of the key (as a registry fetch
 *       does before copying it), then waits: the image is what it leaves;</li>
 *   <li>{@code entry <key>}: makes an engine entry of the key (as the background entry after an
 *       import or pull does) whose fill waits: the unmarked data volume is what it leaves.</li>
 * </ul>
 */
public final class InterruptedTransferHolder {
    private InterruptedTransferHolder() {
    }

    /**
     * Start the transfer and hold it.
     *
     * @param args {@code pull <repository> <key>} or {@code entry <key>}
     * @throws Exception when the transfer cannot start
     */
    public static void main(String[] args) throws Exception {
        DockerEngine engine = DockerEngine.get();
        switch (args[0]) {
            case "pull" -> {
                RegistryStore store = new RegistryStore(engine, args[1]);
                if (!store.pull(args[2])) {
                    throw new IllegalStateException("the registry has no image of " + args[2]);
                }
                ready(args[1] + ":" + args[2]);
            }
            case "entry" -> StateCache.newEntry(engine, StatefulSettings.defaultImage(), args[1], volume -> {
                ready(volume);
                return true;
            });
            default -> throw new IllegalArgumentException("expected pull or entry, got " + args[0]);
        }
    }

    private static void ready(String left) {
        System.out.println("READY " + left + " -");
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // hold the transfer until standard input ends, or a kill
            }
        } catch (IOException e) {
            // parent gone
        }
        System.exit(0);
    }
}
