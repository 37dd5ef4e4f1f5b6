package dev.stateful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.ServerNotRunningException;
import dev.stateful.internal.HandleAccess;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The container stops behind the handle's back ({@code docker stop} from outside, as an engine
 * restart does): every call that talks to the server says so with a Stateful error naming the
 * volume, the state, exit code and stop time, the last log lines and the fix, not with the
 * driver's bare refused connection; {@code start()} brings the same data back.
 */
@StartedHandles
class ServerNotRunningTest {
    @Started(nameHint = "not-running")
    private static StatefulPostgres db;

    @Test
    void everyCallThatTalksToTheServerNamesTheStoppedContainer() throws Exception {
        Sql.run(db, "CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)");
        db.snapshot("base");
        HandleAccess.server(db).engine().stop(db.containerId(), Duration.ofSeconds(30)); // not through the handle

        assertNamesTheStoppedContainer(db::connection, "connecting to database '" + db.database() + "'");
        assertNamesTheStoppedContainer(() -> db.dataSource().getConnection(), "connecting to database '");
        assertNamesTheStoppedContainer(db::fingerprint, "connecting to database '");
        assertNamesTheStoppedContainer(() -> db.restore("base"), "failed on volume");
        assertNamesTheStoppedContainer(() -> db.snapshots().names(), "failed on volume");

        db.start();
        assertThat(Sql.text(db, "SELECT count(*) FROM orders")).as("the same data, after start()").isEqualTo("1");
    }

    private static void assertNamesTheStoppedContainer(ThrowingCallable call, String what) {
        assertThatThrownBy(call)
                .isInstanceOf(ServerNotRunningException.class)
                .hasMessageContaining(what)
                .hasMessageContaining("failed on volume '" + db.volumeName() + "': the Postgres container "
                        + db.containerId().substring(0, 12) + " is not running (state exited, exit code ")
                .hasMessageContaining(" s ago), so the connection was refused or broken (")
                .hasMessageContaining("Last log lines of the container:\n")
                .hasMessageContaining("shutdown request")
                .hasMessageContaining("Fix: call start() on the handle to run the server again on the same volume")
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
    }
}
