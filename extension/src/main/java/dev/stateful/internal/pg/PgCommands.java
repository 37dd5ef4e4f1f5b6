package dev.stateful.internal.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Build the argv of Postgres client tools run inside the container.
 *
 * <p>Every command is an argument list: user input is never put into a shell string.
 */
public final class PgCommands {
    /** The OS user that owns the data directory in Postgres images. */
    public static final String OS_USER = "postgres";

    private PgCommands() {
    }

    /**
     * Return {@code psql} running one SQL command over the container's local socket.
     *
     * @param role database role to connect as
     * @param database database to connect to
     * @param sql one SQL command, built by Stateful with quoted identifiers and literals
     * @return the argv
     */
    public static List<String> psqlCommand(String role, String database, String sql) {
        return List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "--username=" + role, "--dbname=" + database, "--command=" + sql);
    }

    /**
     * Return the server command line: {@code postgres} with settings. Every server runs with
     * {@code wal_level=logical}: the reset between tests reads the keys a test wrote from a
     * temporary logical replication slot instead of scanning the tables (one slot per database,
     * so a shared server holding a database per class needs many).
     *
     * @param durable {@code false} to turn off fsync, synchronous commit and full page writes
     * @return the argv passed to the image's entrypoint
     */
    public static List<String> serverCommand(boolean durable) {
        return serverCommand(durable, Map.of());
    }

    /** Settings Stateful relies on: a server command may not set them. */
    public static final Set<String> RESERVED_SETTINGS = Set.of("port", "listen_addresses", "data_directory",
            "config_file", "hba_file", "ident_file", "unix_socket_directories", "external_pid_file");

    /** Stateful's settings for a server whose commits need not survive a crash. */
    private static final Set<String> FAST_SETTINGS = Set.of("fsync", "synchronous_commit", "full_page_writes");

    /**
     * Return the server command line: {@code postgres} with Stateful's settings and the given ones.
     *
     * @param durable {@code false} to turn off fsync, synchronous commit and full page writes, unless
     *     {@code settings} sets any of them (then the given values count)
     * @param settings further settings, checked already; none of {@link #RESERVED_SETTINGS}
     * @return the argv passed to the image's entrypoint
     */
    public static List<String> serverCommand(boolean durable, Map<String, String> settings) {
        List<String> argv = new ArrayList<>(List.of("postgres"));
        // The reset reads the keys a test wrote from a temporary logical slot (decision 0016).
        argv.addAll(List.of("-c", "wal_level=logical", "-c", "max_replication_slots=200"));
        if (!durable && settings.keySet().stream().noneMatch(FAST_SETTINGS::contains)) {
            argv.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        settings.forEach((name, value) -> argv.addAll(List.of("-c", name + "=" + value)));
        return List.copyOf(argv);
    }
}
