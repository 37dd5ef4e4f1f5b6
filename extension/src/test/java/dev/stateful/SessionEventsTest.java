package dev.stateful;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.SessionEvents;
import dev.stateful.junit.Reset;
import dev.stateful.junit.WithVolume;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handle tells a connection pool (stateful-spring's) around every operation that ends the
 * database's sessions, and after every start of the server.
 */
@WithVolume(reset = Reset.NONE)
class SessionEventsTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private AutoCloseable subscription;

    @BeforeEach
    void listen(StatefulPostgres db) {
        subscription = SessionEvents.listen(HandleAccess.server(db), new SessionEvents.Listener() {
            @Override
            public void sessionsEnding() {
                events.add("ending");
            }

            @Override
            public void sessionsEnded() {
                events.add("ended");
            }
        });
    }

    @AfterEach
    void stopListening() throws Exception {
        subscription.close();
    }

    @Test
    void aSnapshotAndARestoreEachEndTheSessions(StatefulPostgres db) {
        db.snapshot("events");
        assertThat(events).containsExactly("ending", "ended");

        db.restore("events");
        assertThat(events).containsExactly("ending", "ended", "ending", "ended");
    }

    @Test
    void everyStartOfTheServerIsTold(StatefulPostgres db) {
        db.restart();
        db.kill();
        db.recreate();

        assertThat(events).containsExactly("ended", "ended", "ended");
    }

    @Test
    void aClosedSubscriptionHearsNothing(StatefulPostgres db) throws Exception {
        subscription.close();

        db.snapshot("quiet");

        assertThat(events).isEmpty();
    }
}
