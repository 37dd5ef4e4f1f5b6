package dev.stateful.junit;

import dev.stateful.StatefulPostgres;
import dev.stateful.snapshot.BackupKind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A helper class outside the test classes: {@link OwnServerScan} does not read it. */
final class SharedServerSampleHelper {
    private SharedServerSampleHelper() {
    }

    static void restart(StatefulPostgres db) {
        db.restart();
    }

    /** The operations on the whole server, by the name a message gives them. */
    static Map<String, ThrowingCall> wholeServerCalls(StatefulPostgres db, Path backup) {
        Map<String, ThrowingCall> calls = new LinkedHashMap<>();
        calls.put("restart()", db::restart);
        calls.put("stop()", db::stop);
        calls.put("kill()", db::kill);
        calls.put("recreate()", db::recreate);
        calls.put("recreate(image)", () -> db.recreate("postgres:15-bookworm"));
        calls.put("removeVolume()", db::removeVolume);
        calls.put("snapshots().snapshotVolume(\"v1\")", () -> db.snapshots().snapshotVolume("v1"));
        calls.put("backups().backup(VOLUME)", () -> db.backups().backup(BackupKind.VOLUME, backup));
        return calls;
    }

    /** A call that may throw. */
    interface ThrowingCall {
        void run() throws Exception;
    }
}
