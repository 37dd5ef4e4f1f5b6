package dev.stateful.internal.pg;

import java.util.ArrayList;
import java.util.List;

/**
 * Build the argv of the dump and restore tools run inside the container: {@code pg_dump},
 * {@code pg_restore}, {@code psql -f}, {@code pgbench -i} and the file housekeeping around them.
 *
 * <p>Every command is an argument list; nothing is put into a shell string. The tools connect
 * over the container's local socket, as the handle's role.
 */
public final class DumpCommands {
    /** The OS user that runs commands needing root, such as removing copied files. */
    public static final String ROOT = "root";

    private DumpCommands() {
    }

    /**
     * Return {@code pg_dump} writing one database in a format.
     *
     * @param role database role
     * @param database database to dump
     * @param format {@code custom}, {@code directory}, {@code tar} or {@code plain}
     * @param jobs parallel jobs (directory format only; ignored otherwise)
     * @param file the output path inside the container, or {@code null} for standard output
     *     (not for the directory format)
     * @return the argv
     */
    public static List<String> pgDump(String role, String database, String format, int jobs, String file) {
        List<String> argv = new ArrayList<>(List.of("pg_dump", "--username=" + role, "--dbname=" + database,
                "--format=" + format));
        if ("directory".equals(format)) {
            if (file == null) {
                throw new IllegalArgumentException("the directory format needs an output path");
            }
            argv.add("--jobs=" + jobs);
        }
        if (file != null) {
            argv.add("--file=" + file);
        }
        return List.copyOf(argv);
    }

    /**
     * Return {@code pg_restore} restoring an archive into a database.
     *
     * @param role database role
     * @param database target database
     * @param format {@code custom}, {@code directory} or {@code tar}
     * @param jobs parallel jobs; only passed when above 1 (custom and directory support it)
     * @param keepOwnership {@code false} adds {@code --no-owner}
     * @param keepPrivileges {@code false} adds {@code --no-privileges}
     * @param file the archive inside the container
     * @return the argv
     */
    public static List<String> pgRestore(String role, String database, String format, int jobs,
            boolean keepOwnership, boolean keepPrivileges, String file) {
        List<String> argv = new ArrayList<>(List.of("pg_restore", "--username=" + role, "--dbname=" + database,
                "--format=" + format));
        if (!keepOwnership) {
            argv.add("--no-owner");
        }
        if (!keepPrivileges) {
            argv.add("--no-privileges");
        }
        if (jobs > 1) {
            argv.add("--jobs=" + jobs);
        }
        argv.add(file);
        return List.copyOf(argv);
    }

    /**
     * Return {@code psql} running a SQL file and stopping at the first error.
     *
     * @param role database role
     * @param database target database
     * @param file the script inside the container
     * @return the argv
     */
    public static List<String> psqlFile(String role, String database, String file) {
        return List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--username=" + role, "--dbname=" + database,
                "--file=" + file);
    }

    /**
     * The {@code awk} program that streams a plain SQL dump into {@code psql} inside the
     * container: it ends lines with LF (dumps saved with CRLF restore too), leaves the lines of
     * {@code COPY} data alone, always drops
     * {@code CREATE}/{@code ALTER}/{@code DROP DATABASE}, database-level grants and comments
     * and {@code \connect} (the dump goes into the handle's database, no other is touched), drops ownership ({@code ALTER ... OWNER TO},
     * {@code SET SESSION AUTHORIZATION}) when {@code owner=0}, privileges ({@code GRANT},
     * {@code REVOKE}) when {@code privileges=0}, and keeps only the section of database
     * {@code db} of a {@code pg_dumpall} file when {@code db} is set.
     */
    public static final String PLAIN_FILTER = String.join("\n",
            "BEGIN { keep = (db == \"\") }",
            "{ sub(/\\r$/, \"\") }",
            "copy { print; if ($0 == \"\\\\.\") copy = 0; next }",
            "db != \"\" && /^-- Database \"/ { name = substr($0, 14); sub(/\" dump$/, \"\", name);"
                    + " gsub(/\"\"/, \"\\\"\", name); keep = (name == db); next }",
            "db != \"\" && /^-- PostgreSQL database cluster dump complete/ { keep = 0 }",
            "!keep { next }",
            "/^COPY .* FROM stdin;$/ { copy = 1; print; next }",
            "/^(CREATE|ALTER|DROP) DATABASE / || /^\\\\connect / || /^UPDATE pg_catalog\\.pg_database / { next }",
            "/^(GRANT|REVOKE) .* ON DATABASE / || /^(COMMENT|SECURITY LABEL) ON DATABASE / { next }",
            "owner == 0 && (/^ALTER .* OWNER TO .*;$/ || /^SET SESSION AUTHORIZATION /) { next }",
            "privileges == 0 && (/^GRANT / || /^REVOKE / || /^ALTER DEFAULT PRIVILEGES /) { next }",
            "{ print }",
            "");

    /**
     * Return {@code bash} streaming a plain SQL file through {@link #PLAIN_FILTER} into
     * {@code psql}, which carries on after errors (they are sorted afterwards by
     * {@link RestoreErrors}). Every value is passed as an argument, never as shell text.
     *
     * @param role database role
     * @param database target database
     * @param file the SQL file inside the container
     * @param keepOwnership whether ownership statements run
     * @param keepPrivileges whether {@code GRANT}/{@code REVOKE} run
     * @param clusterDatabase the database of a {@code pg_dumpall} file to restore, or empty
     * @return the argv
     */
    public static List<String> psqlFiltered(String role, String database, String file, boolean keepOwnership,
            boolean keepPrivileges, String clusterDatabase) {
        return List.of("bash", "-o", "pipefail", "-c",
                "awk -v owner=\"$1\" -v privileges=\"$2\" -v db=\"$3\" -- \"$4\" \"$5\" "
                        + "| psql -X -q --username=\"$6\" --dbname=\"$7\" --file=-",
                "stateful-restore", keepOwnership ? "1" : "0", keepPrivileges ? "1" : "0", clusterDatabase,
                PLAIN_FILTER, file, role, database);
    }

    /**
     * Return {@code grep} printing the lines of a plain SQL file that {@link DumpScan} reads.
     *
     * @param file the SQL file inside the container
     * @return the argv
     */
    public static List<String> scanPlain(String file) {
        return List.of("grep", "-a", "-E", "--", DumpScan.SQL_LINE_PATTERN, file);
    }

    /**
     * Return {@code pg_restore} printing an archive's schema as SQL (no data), for {@link DumpScan}.
     *
     * @param format {@code custom}, {@code directory} or {@code tar}
     * @param file the archive inside the container
     * @return the argv
     */
    public static List<String> archiveSchema(String format, String file) {
        return List.of("pg_restore", "--schema-only", "--format=" + format, "--file=-", file);
    }

    /**
     * Return {@code psql} running one query and printing its rows unaligned, without headers.
     *
     * @param role database role
     * @param database database to connect to
     * @param sql a query built by Stateful
     * @return the argv
     */
    public static List<String> psqlQuery(String role, String database, String sql) {
        return List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "--username=" + role,
                "--dbname=" + database, "--command=" + sql);
    }

    /**
     * Return {@code psql} running SQL commands one after the other, carrying on after errors.
     *
     * @param role database role
     * @param database database to connect to
     * @param commands SQL commands
     * @return the argv
     */
    public static List<String> psqlCommandsTolerant(String role, String database, List<String> commands) {
        List<String> argv = new ArrayList<>(List.of("psql", "-X", "-q", "--username=" + role, "--dbname=" + database));
        for (String sql : commands) {
            argv.add("--command=" + sql);
        }
        return List.copyOf(argv);
    }

    /**
     * Return the query that tells how far a restore is: the database's size and the tables
     * being copied into it.
     *
     * @param database the database being restored
     * @return one row of text
     */
    public static String restoreProgressQuery(String database) {
        return "SELECT 'database ' || pg_size_pretty(pg_database_size(" + SqlIdentifiers.literal(database) + "))"
                + " || coalesce(', copying ' || (SELECT string_agg(relid::regclass::text || ' ('"
                + " || pg_size_pretty(bytes_processed) || ')', ', ') FROM pg_stat_progress_copy"
                + " WHERE datname = " + SqlIdentifiers.literal(database) + "), '')"
                + " || coalesce(', building ' || (SELECT string_agg(command || ' ' || relid::regclass::text, ', ')"
                + " FROM pg_stat_progress_create_index WHERE datname = " + SqlIdentifiers.literal(database) + "), '')";
    }

    /**
     * Return {@code nproc}: the processors the container (and so the engine) can use.
     *
     * @return the argv
     */
    public static List<String> processors() {
        return List.of("nproc");
    }

    /**
     * Return {@code psql} running SQL commands one after the other, each in its own transaction
     * (so {@code DROP DATABASE} works), stopping at the first error.
     *
     * @param role database role
     * @param database database to connect to
     * @param commands SQL commands built by Stateful with quoted identifiers and literals
     * @return the argv
     */
    public static List<String> psqlCommands(String role, String database, List<String> commands) {
        List<String> argv = new ArrayList<>(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "--username=" + role, "--dbname=" + database));
        for (String sql : commands) {
            argv.add("--command=" + sql);
        }
        return List.copyOf(argv);
    }

    /**
     * Return the SQL that replaces a database by an empty one: end its sessions, drop it and
     * create it again, owned by {@code owner}. Run it connected to another database.
     *
     * @param database the database
     * @param owner its owner
     * @return the commands, each to run in its own transaction
     */
    public static List<String> recreateDatabase(String database, String owner) {
        return List.of(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = "
                        + SqlIdentifiers.literal(database) + " AND pid <> pg_backend_pid()",
                "DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(database) + " WITH (FORCE)",
                "CREATE DATABASE " + SqlIdentifiers.quote(database) + " OWNER " + SqlIdentifiers.quote(owner));
    }

    /**
     * Return the database to connect to while {@code database} is dropped.
     *
     * @param database the database being replaced
     * @return {@code postgres}, or {@code template1} when that is the one being replaced
     */
    public static String maintenanceDatabase(String database) {
        return "postgres".equals(database) ? "template1" : "postgres";
    }

    /**
     * Return {@code pgbench -i}: create and fill pgbench's tables.
     *
     * @param role database role
     * @param database target database
     * @param scale scale factor: 100,000 accounts per unit
     * @return the argv
     */
    public static List<String> pgbenchInit(String role, String database, int scale) {
        return List.of("pgbench", "--initialize", "--scale=" + scale, "--quiet", "--foreign-keys",
                "--username=" + role, database);
    }

    /**
     * Return a tool's {@code --version}.
     *
     * @param tool such as {@code pg_restore}
     * @return the argv
     */
    public static List<String> version(String tool) {
        return List.of(tool, "--version");
    }

    /**
     * Return {@code tar} writing a directory's content to standard output.
     *
     * @param directory the directory inside the container
     * @return the argv
     */
    public static List<String> tarDirectory(String directory) {
        return List.of("tar", "--create", "--file=-", "--directory=" + directory, ".");
    }

    /**
     * Return {@code mkdir -p} for a directory the {@code postgres} user can write to.
     *
     * @param directory the directory inside the container
     * @return the argv
     */
    public static List<String> makeDirectory(String directory) {
        return List.of("mkdir", "-p", "--", directory);
    }

    /**
     * Return {@code rm -rf} for a temporary path.
     *
     * @param path a path under {@code /tmp} inside the container
     * @return the argv
     */
    public static List<String> remove(String path) {
        if (!path.startsWith("/tmp/stateful-")) {
            throw new IllegalArgumentException("refusing to remove " + path + ": only /tmp/stateful-* is removed");
        }
        return List.of("rm", "-rf", "--", path);
    }
}
