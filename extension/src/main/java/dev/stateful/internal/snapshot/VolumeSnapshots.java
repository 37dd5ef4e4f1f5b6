package dev.stateful.internal.snapshot;

import dev.stateful.error.EngineException;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.engine.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copy a handle's whole data directory (roles, every database, settings) to and from labelled
 * snapshot volumes, with helper containers of the handle's image run through the Docker API.
 * The server is stopped during a copy, so the copy is consistent.
 */
public final class VolumeSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeSnapshots.class);
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(30);

    private VolumeSnapshots() {
    }

    public static String volumeOf(String volume, String name) {
        return volume + "--snap-" + SnapshotStore.validate(name);
    }

    public static void snapshot(DockerEngine engine, String image, String volume, String name) {
        String target = volumeOf(volume, name);
        long started = System.nanoTime();
        if (engine.volumeExists(target)) {
            engine.removeVolume(target);
        }
        engine.createVolume(target, Labels.forNewResource(true));
        copy(engine, image, volume, target);
        LOG.info("Copied volume {} to snapshot {} in {} ms", volume, target, (System.nanoTime() - started) / 1_000_000);
    }

    public static void restore(DockerEngine engine, String image, String volume, String name) {
        String source = volumeOf(volume, name);
        if (!engine.volumeExists(source)) {
            throw new InvalidArgumentException("volume snapshot '" + name + "' of volume '" + volume + "' does not exist "
                    + "(no volume '" + source + "'); expected one taken with snapshotVolume(\"" + name + "\"). "
                    + "Fix: take it first.");
        }
        long started = System.nanoTime();
        copy(engine, image, List.of("find", "/to", "-mindepth", "1", "-delete"), source, volume, "empty volume '" + volume + "'");
        copy(engine, image, List.of("cp", "-a", "/from/.", "/to/"), source, volume, "restore volume '" + volume + "' from '" + source + "'");
        LOG.info("Restored volume {} from snapshot {} in {} ms", volume, source, (System.nanoTime() - started) / 1_000_000);
    }

    /** Copy the content of one volume into another (empty) one. */
    public static void copy(DockerEngine engine, String image, String from, String to) {
        copy(engine, image, List.of("cp", "-a", "/from/.", "/to/"), from, to, "copy volume '" + from + "' to '" + to + "'");
    }

    private static void copy(DockerEngine engine, String image, List<String> argv, String from, String to, String what) {
        ExecResult result = engine.runToCompletion(image, argv, Map.of(from, "/from", to, "/to"),
                Labels.forNewResource(true), COPY_TIMEOUT);
        if (!result.succeeded()) {
            throw new EngineException("cannot " + what + ": " + argv.get(0) + " exited with " + result.exitCode()
                    + ":\n" + result.stderrTail(20));
        }
    }
}
