package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.error.CommandTimeoutException;
import dev.stateful.StatefulPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command in the container that cannot finish (pg_dump waiting on a lock another session
 * holds) is stopped at {@code stateful.command-timeout}: the error names the command, the
 * deadline, how long it ran and the container's log tail; the process is gone from the
 * server; no stream thread of the exec is left; the handle keeps working.
 */
@Tag("docker")
class CommandTimeoutTest {
    static Path dumpTarget;

    @Test
    @Timeout(120)
    void stuckDumpIsStoppedAtTheConfiguredDeadline(@TempDir Path dir) {
        Captured.clear();
        dumpTarget = dir.resolve("stuck.dump");
        Kit.run(Map.of("stateful.command-timeout", "3"), Stuck.class).testEvents().assertStatistics(s -> s.succeeded(1));

        String message = Captured.only("message");
        assertThat(message).startsWith("command 'pg_dump ")
                .containsPattern("' in container [0-9a-f]{12} did not finish within its deadline of 3 s; it ran [3-9] s "
                        + "and was stopped inside the container\\. Fix: raise stateful\\.command-timeout / "
                        + "STATEFUL_COMMAND_TIMEOUT \\(whole seconds\\) or the builder's commandTimeout\\(\\.\\.\\.\\) when "
                        + "the work is this long, or look for what it waits on \\(a lock, a prompt\\)\\. Last log lines "
                        + "of the container:\n")
                .contains("database system is ready to accept connections");
        assertThat(Captured.only("dumpsLeft")).isEqualTo("0");
        assertThat(Captured.only("streamThreads")).isEqualTo("[]");
        assertThat(Captured.only("fileLeft")).isEqualTo("false");
        assertThat(Captured.only("afterwards")).isEqualTo("1");
    }

    @WithVolume
    static class Stuck {
        @Test
        void dumpWaitsOnALock(StatefulPostgres db) throws Exception {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int)");
                c.setAutoCommit(false);
                s.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
                try {
                    db.dumps().dump(dumpTarget);
                    Captured.add("message", "dump finished although the table was locked");
                } catch (CommandTimeoutException e) {
                    Captured.add("message", e.getMessage());
                }
                c.rollback();
            }
            Captured.add("dumpsLeft", String.valueOf(pollDumpsGone(db)));
            Captured.add("streamThreads", pollStreamThreadsGone().toString());
            Captured.add("fileLeft", String.valueOf(Files.exists(dumpTarget)));
            try (Connection c = db.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                Captured.add("afterwards", rs.getString(1));
            }
        }

        /** Sessions of pg_dump still in the server, polled until none or a deadline. */
        private static int pollDumpsGone(StatefulPostgres db) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int left;
            do {
                try (Connection c = db.connection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump'")) {
                    rs.next();
                    left = rs.getInt(1);
                }
                if (left == 0) {
                    return 0;
                }
                Thread.sleep(100);
            } while (System.nanoTime() < deadline);
            return left;
        }
    }

    /** Names of docker-java's exec stream threads still alive, polled until none or a deadline. */
    static List<String> pollStreamThreadsGone() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> names;
        do {
            names = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith("docker-java-stream")).toList();
            if (names.isEmpty()) {
                return names;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return names;
    }
}
