package dev.stateful.junit;

import dev.stateful.StatefulPostgres;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run of one {@code stateful.server=shared} class in a JVM of its own, for the test that kills
 * that JVM: the class's test prints {@code READY <shared server volume> <container>} and waits
 * until standard input ends. Not a test class.
 */
public final class SharedServerHolder {
    private SharedServerHolder() {
    }

    /**
     * Run {@link HoldsTheSharedServer} on a shared server.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Kit.run(Map.of("stateful.server", "shared"), HoldsTheSharedServer.class);
        System.exit(0);
    }

    @WithVolume
    static class HoldsTheSharedServer {
        @Test
        void holds(StatefulPostgres db) throws Exception {
            System.out.println("READY " + db.volumeName() + " " + db.containerId());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the end of standard input, or a kill
            }
        }
    }
}
