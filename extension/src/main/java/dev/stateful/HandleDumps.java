package dev.stateful;

import dev.stateful.dump.DumpFormat;
import dev.stateful.dump.DumpSource;
import dev.stateful.dump.Dumps;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.internal.SessionEvents;
import java.nio.file.Path;
import java.util.Objects;

/** The dumps of one handle: {@code internal.dump.Dumps} on its server, with its sessions ended around a restore. */
final class HandleDumps implements Dumps {
    private final StatefulPostgres db;

    HandleDumps(StatefulPostgres db) {
        this.db = db;
    }

    @Override
    public void restore(Path dump) {
        restore(dump, RestoreOptions.defaults());
    }

    @Override
    public void restore(Path dump, RestoreOptions options) {
        Objects.requireNonNull(dump, "dump");
        Objects.requireNonNull(options, "options");
        restore(dump, dump.toString(), options);
    }

    @Override
    public void restore(DumpSource source, RestoreOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        restore(source.resolve(), source.spec(), options);
    }

    private void restore(Path dump, String spec, RestoreOptions options) {
        SessionEvents.Ending ending = SessionEvents.ending(db.container());
        try {
            // The restore drops and creates the database again: the reset's session and its slot go first.
            if (db.snapshots() instanceof dev.stateful.internal.snapshot.SnapshotStore store) {
                store.endResetSession();
            }
            implementation().restore(dump, spec, options);
        } finally {
            ending.close();
        }
    }

    @Override
    public Path dump(Path file) {
        return dump(file, DumpFormat.CUSTOM);
    }

    @Override
    public Path dump(Path target, DumpFormat format) {
        return implementation().dump(Objects.requireNonNull(target, "target"), Objects.requireNonNull(format, "format"));
    }

    private dev.stateful.internal.dump.Dumps implementation() {
        db.ensureContainer();
        return new dev.stateful.internal.dump.Dumps(db.container());
    }
}
