package dev.stateful.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gate's rules, with real threads: what waits for what. */
class ConnectionGateTest {
    private final ConnectionGate gate = new ConnectionGate();

    @Test
    void anOpenGateLetsConnectionsThrough() throws Exception {
        gate.enter("test");
        gate.exit();
    }

    @Test
    void aClosedGateHoldsNewConnectionsUntilItOpens() throws Exception {
        gate.close();
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Void> connection = CompletableFuture.runAsync(() -> {
            try {
                gate.enter("test");
                entered.countDown();
                gate.exit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(entered.await(300, TimeUnit.MILLISECONDS)).as("entered while closed").isFalse();
        gate.open();
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("entered once open").isTrue();
        connection.get(10, TimeUnit.SECONDS);
    }

    @Test
    void closingWaitsForTheConnectionsBeingOpened() throws Exception {
        gate.enter("test");
        CountDownLatch closed = new CountDownLatch(1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            gate.close();
            closed.countDown();
        });

        assertThat(closed.await(300, TimeUnit.MILLISECONDS)).as("closed while a connection was being opened").isFalse();
        gate.exit();
        assertThat(closed.await(10, TimeUnit.SECONDS)).as("closed once it was open").isTrue();
        closing.get(10, TimeUnit.SECONDS);
    }
}
