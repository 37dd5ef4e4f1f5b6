package dev.stateful.internal.engine;

import static dev.stateful.internal.engine.EngineMessages.shortId;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicReference;

/** Tar archives into and out of containers, streamed, within the command deadline. */
final class Archives {
    private final EngineClients engine;

    Archives(EngineClients engine) {
        this.engine = engine;
    }

    void copyTo(String containerId, InputStream tar, String remotePath) {
        DeadlineCalls.call("copy files into " + shortId(containerId), engine.commandTimeout, () -> {
            engine.client.copyArchiveToContainerCmd(containerId)
                    .withRemotePath(remotePath)
                    .withTarInputStream(tar)
                    .exec();
            return null;
        });
    }

    void copyFrom(String containerId, String path, OutputStream tar) {
        AtomicReference<InputStream> open = new AtomicReference<>();
        try {
            DeadlineCalls.call("copy " + path + " out of " + shortId(containerId), engine.commandTimeout, () -> {
                try (InputStream in = engine.client.copyArchiveFromContainerCmd(containerId, path).exec()) {
                    open.set(in);
                    in.transferTo(tar);
                }
                return null;
            });
        } finally {
            EngineClients.closeQuietly(open.get()); // unblocks the copying thread when the deadline expired
        }
    }
}
