package dev.stateful;

import dev.stateful.internal.snapshot.VolumeBackups;
import dev.stateful.snapshot.BackupKind;
import dev.stateful.internal.PostgresContainer;
import dev.stateful.snapshot.Backups;
import java.nio.file.Path;
import java.util.Objects;

/** The backups of one handle: a volume backup through {@code VolumeBackups}, a logical one through its dumps. */
final class HandleBackups implements Backups {
    private final StatefulPostgres db;

    HandleBackups(StatefulPostgres db) {
        this.db = db;
    }

    @Override
    public Path backup(BackupKind kind, Path target) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        if (kind == BackupKind.VOLUME) {
            db.container().requireOwnServer("backups().backup(VOLUME)");
            synchronized (db) {
                PostgresContainer server = db.container();
                server.ensureOpen();
                VolumeBackups.backup(server, target);
            }
            return target;
        }
        return db.dumps().dump(target);
    }

    @Override
    public void restore(Path backup) {
        Objects.requireNonNull(backup, "backup");
        if (VolumeBackups.isVolumeBackup(backup)) {
            db.container().requireOwnServer("backups().restore(a volume backup)");
            VolumeBackups.restore(db.container(), backup);
            return;
        }
        synchronized (db) {
            if (!db.isRunning()) {
                db.start();
            }
        }
        db.dumps().restore(backup);
    }
}
