package dev.stateful.internal;

import java.time.Duration;
import java.util.Map;

/**
 * What a handle's server is made from, resolved by the handle's builder: the volume, the login,
 * how the server runs and how long it may take to start. Not API.
 *
 * @param volumeName the named volume holding the data directory
 * @param database the database tests connect to ({@code POSTGRES_DB})
 * @param username the role tests connect as ({@code POSTGRES_USER})
 * @param password the role's password ({@code POSTGRES_PASSWORD}); never logged
 * @param passwordGenerated whether the password is the handle's own random one, which Stateful may
 *     set on a volume initialised with another
 * @param durable whether commits must survive a crash (fsync on)
 * @param env further environment variables of the container
 * @param initScripts file name to content, put into {@code /docker-entrypoint-initdb.d}
 * @param startupTimeout how long a start may take until the server accepts queries
 * @param removeVolumeOnClose whether the handle removes the volume on close (labels a new volume
 *     as ephemeral)
 * @param volumeDriverOpts driver options of a new volume (a tmpfs size), or none
 * @param bindAddress the host address the port is published on
 * @param serverSettings further {@code postgres -c name=value} settings, checked by
 *     {@link HandleArguments#serverSetting(String, String)}
 */
public record ContainerSettings(String volumeName, String database, String username, String password,
        boolean passwordGenerated, boolean durable, Map<String, String> env, Map<String, byte[]> initScripts,
        Duration startupTimeout, boolean removeVolumeOnClose, Map<String, String> volumeDriverOpts,
        String bindAddress, Map<String, String> serverSettings) {

    /** Copy the maps, so that the builder's later changes do not reach a handle. */
    public ContainerSettings {
        env = Map.copyOf(env);
        initScripts = Map.copyOf(initScripts);
        volumeDriverOpts = Map.copyOf(volumeDriverOpts);
        serverSettings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(serverSettings));
    }

    /** Describe the settings without the password. */
    @Override
    public String toString() {
        return "ContainerSettings[volume=" + volumeName + ", database=" + database + ", username=" + username + "]";
    }
}
