package dev.stateful.junit;

import static dev.stateful.assertj.StatefulAssertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.drill.RestoreDrill;
import dev.stateful.snapshot.BackupKind;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Classes whose {@code @WithVolume} {@link SharedServerDecisionTest} reads: never run, so they
 * live outside the test class (the docker-tag scan counts annotated classes in test files).
 */
final class SharedServerSamples {
    private SharedServerSamples() {
    }

    @WithVolume
    static class Plain {
    }

    @WithVolume(name = "orders-db")
    static class Named {
    }

    @WithVolume(durable = true)
    static class Durable {
    }

    @WithVolume(image = "postgres:15-bookworm")
    static class Image {
    }

    @WithVolume(database = "orders")
    static class Database {
    }

    @WithVolume(username = "app")
    static class Username {
    }

    @WithVolume(ownServer = true)
    static class OwnServer {
    }

    @WithVolume(cleanup = CleanupMode.ON_SUCCESS)
    static class KeptVolume {
    }

    /** Ordinary work: snapshots, a logical backup, connections. Shares. */
    @WithVolume
    static class Ordinary {
        @Test
        void work(StatefulPostgres db) throws Exception {
            db.snapshot("s");
            db.restore("s");
            db.backups().backup(BackupKind.LOGICAL, Path.of("orders.dump"));
            try (Connection c = db.connection()) {
                c.createStatement().execute("SELECT 1");
            }
        }
    }

    @WithVolume
    static class Restarts {
        @Test
        void survives(StatefulPostgres db) {
            db.restart();
        }
    }

    @WithVolume
    static class KillsInAMethodReference {
        @Test
        void survives(StatefulPostgres db) {
            assertThat(db).survives(db::kill);
        }
    }

    @WithVolume
    static class RemovesTheVolumeInALambda {
        @Test
        void losesData(StatefulPostgres db) {
            assertThat(db).losesDataOn(() -> {
                db.removeVolume();
                db.start();
            });
        }
    }

    @WithVolume
    static class RecreatesInAnAnonymousClass {
        @Test
        void upgrade(StatefulPostgres db) {
            new Runnable() {
                @Override
                public void run() {
                    db.recreate("postgres:17.2");
                }
            }.run();
        }
    }

    @WithVolume
    static class SnapshotsTheVolumeInANestedClass {
        @Nested
        class Inner {
            @Test
            void volume(StatefulPostgres db) {
                db.snapshots().snapshotVolume("v1");
            }
        }
    }

    @WithVolume
    static class BacksUpTheVolume {
        @Test
        void backup(StatefulPostgres db) {
            db.backups().backup(BackupKind.VOLUME, Path.of("volume.tar"));
        }
    }

    @WithVolume
    static class RunsADrill {
        @Test
        void drill(RestoreDrill drill) {
            drill.run();
        }
    }

    /** Its superclass stops the server. */
    static class InheritsAStop extends Stops {
    }

    @WithVolume
    abstract static class Stops {
        @Test
        void stops(StatefulPostgres db) {
            db.stop();
        }
    }

    /** Calls restart() in a helper class elsewhere: not seen, so it shares and the call fails. */
    @WithVolume
    static class RestartsInAHelper {
        @Test
        void survives(StatefulPostgres db) {
            SharedServerSampleHelper.restart(db);
        }
    }

    /** A sibling of the classes above: their calls are not its code. */
    @WithVolume
    static class Sibling {
        @Test
        void reads(StatefulPostgres db) {
            db.isRunning();
        }
    }
}
