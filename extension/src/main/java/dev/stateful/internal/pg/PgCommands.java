package dev.stateful.internal.pg;

import java.util.List;

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
        List<String> decoding = List.of("-c", "wal_level=logical", "-c", "max_replication_slots=200");
        List<String> command = new java.util.ArrayList<>();
        command.add("postgres");
        command.addAll(decoding);
        if (!durable) {
            command.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        return List.copyOf(command);
    }
}
