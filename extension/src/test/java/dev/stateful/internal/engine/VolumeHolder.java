package dev.stateful.internal.engine;

import dev.stateful.StatefulPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * The other JVM of the multi-process tests: start a handle (on the volume named by the first
 * argument, or a generated one for {@code -}), print {@code READY <volume> <container>}, then
 * hold it until stdin closes. With {@code exit-while-locked} as second argument, a thread holds
 * the handle's lock while the JVM exits, so the shutdown hook meets a lock it cannot get.
 */
public final class VolumeHolder {
    private VolumeHolder() {
    }

    /**
     * Run the holder.
     *
     * @param args volume name or {@code -}, then optionally {@code exit-while-locked}
     * @throws Exception when the handle does not start
     */
    public static void main(String[] args) throws Exception {
        StatefulPostgres.Builder builder = StatefulPostgres.builder().nameHint("VolumeHolder");
        if (!args[0].equals("-")) {
            builder.volume(args[0]);
        }
        StatefulPostgres db = builder.start();
        System.out.println("READY " + db.volumeName() + " " + db.containerId());
        System.out.flush();
        if (args.length > 1 && args[1].equals("exit-while-locked")) {
            CountDownLatch locked = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                synchronized (db) {
                    locked.countDown();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "test-thread-holding-the-handle");
            holder.setDaemon(true);
            holder.start();
            locked.await();
            System.exit(0);
        }
        InputStream in = System.in;
        try {
            while (in.read() >= 0) {
                // hold the handle until the parent closes stdin
            }
        } catch (IOException e) {
            // parent gone
        }
        db.close();
    }
}
