package dev.stateful.internal;

import dev.stateful.error.StartupException;
import dev.stateful.internal.engine.ContainerSpec;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.pg.PgCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Create a handle's volume and its Postgres container (not started): the login in the
 * environment, the init scripts in {@code /docker-entrypoint-initdb.d}, the port published on the
 * bind address, and never a second server on a volume that another container runs on.
 */
final class ContainerLauncher {
    /** The port Postgres listens on inside the container. */
    static final int PORT = 5432;
    private static final String INIT_DIR = "/docker-entrypoint-initdb.d/";

    private ContainerLauncher() {
    }

    /**
     * Create the volume when it does not exist, with the handle's labels and driver options.
     *
     * @return whether it was created
     */
    static boolean createVolumeIfMissing(DockerEngine engine, ContainerSettings settings) {
        if (engine.volumeExists(settings.volumeName())) {
            return false;
        }
        engine.createVolume(settings.volumeName(), Labels.forNewResource(settings.removeVolumeOnClose()),
                settings.volumeDriverOpts());
        return true;
    }

    /**
     * Create the container on the volume (and the volume when missing).
     *
     * @return the new container's id
     * @throws StartupException when another container runs on the volume
     */
    static String create(DockerEngine engine, ContainerSettings settings, String image, String dataDirectory) {
        String volumeName = settings.volumeName();
        rejectOtherServersOnTheVolume(engine, volumeName);
        if (createVolumeIfMissing(engine, settings)) {
            PostgresContainer.LOG.info("Created volume {}", volumeName);
        }
        List<String> env = new ArrayList<>();
        env.add("POSTGRES_USER=" + settings.username());
        env.add("POSTGRES_PASSWORD=" + settings.password());
        env.add("POSTGRES_DB=" + settings.database());
        settings.env().forEach((k, v) -> env.add(k + "=" + v));
        Map<String, byte[]> files = new LinkedHashMap<>();
        settings.initScripts().forEach((name, content) -> files.put(INIT_DIR + name, content));
        String name = volumeName + "-" + VolumeNames.randomHex(3);
        return engine.createContainer(new ContainerSpec(name, image, env, PgCommands.serverCommand(settings.durable(), settings.serverSettings()),
                volumeName, dataDirectory, PORT, settings.bindAddress(), Labels.forNewResource(true), files));
    }

    /**
     * Two Postgres servers on one data directory corrupt it, and the server's own lock file does
     * not see a server in another container: fail before starting one when another process (or
     * handle) already runs a container on the volume.
     */
    private static void rejectOtherServersOnTheVolume(DockerEngine engine, String volumeName) {
        for (Map.Entry<String, Map<String, String>> other : engine.runningContainersOn(volumeName).entrySet()) {
            throw new StartupException("volume '" + volumeName + "' is in use: container '" + other.getKey()
                    + "' runs on it, owned by " + Labels.describeOwner(other.getValue()) + "; expected no other "
                    + "container on the volume, because two Postgres servers on one data directory corrupt it. "
                    + "Fix: wait for that run to finish or stop that container (docker stop " + other.getKey()
                    + "), or give this test another volume name.");
        }
    }
}
