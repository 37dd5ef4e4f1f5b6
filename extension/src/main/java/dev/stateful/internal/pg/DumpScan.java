package dev.stateful.internal.pg;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read what a dump needs from its SQL, one line at a time, without keeping the SQL: the roles
 * it names (owners, grantees, {@code SET ROLE}, {@code AUTHORIZATION}, policies), the
 * extensions it creates, whether it was made with {@code --create} and, for a
 * {@code pg_dumpall} file, its databases and role definitions.
 *
 * <p>It reads the statement lines {@code pg_dump} writes (one statement per line for all of
 * these); {@link #SQL_LINE_PATTERN} selects them from a big file inside the container first.
 */
public final class DumpScan {
    /** An extended regular expression ({@code grep -E}) for the lines this scan reads. */
    public static final String SQL_LINE_PATTERN = "^(ALTER |GRANT |REVOKE |SET |CREATE (ROLE|SCHEMA|POLICY|EXTENSION"
            + "|DATABASE) |\\\\connect |-- (PostgreSQL database cluster dump|Database \"))";

    private static final String IDENT = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final String LIST = IDENT + "(?:\\s*,\\s*" + IDENT + ")*";
    private static final Pattern IDENTS = Pattern.compile(IDENT);
    private static final Pattern OWNER = Pattern.compile("^ALTER .* OWNER TO (" + IDENT + ");\\s*$");
    private static final Pattern GRANT = Pattern.compile(
            "^(?:ALTER DEFAULT PRIVILEGES .*?)?GRANT .* TO (" + LIST + ")(?: WITH (?:GRANT|ADMIN|INHERIT|SET) .*| GRANTED BY .*)?;\\s*$");
    private static final Pattern REVOKE = Pattern.compile(
            "^(?:ALTER DEFAULT PRIVILEGES .*?)?REVOKE .* FROM (" + LIST + ")(?: GRANTED BY .*| CASCADE)?;\\s*$");
    private static final Pattern FOR_ROLE = Pattern.compile("^ALTER DEFAULT PRIVILEGES FOR (?:ROLE|USER) (" + LIST
            + ")");
    private static final Pattern SET_ROLE = Pattern.compile(
            "^SET (?:ROLE|SESSION AUTHORIZATION) (?:'([^']+)'|(" + IDENT + "));\\s*$");
    private static final Pattern AUTHORIZATION = Pattern.compile("^CREATE SCHEMA .* AUTHORIZATION (" + IDENT + ")");
    private static final Pattern POLICY = Pattern.compile("^CREATE POLICY .* TO (" + LIST + ")(?: USING| WITH CHECK|;)");
    private static final Pattern EXTENSION = Pattern.compile(
            "^CREATE EXTENSION (?:IF NOT EXISTS )?(" + IDENT + ")");
    private static final Pattern CREATE_ROLE = Pattern.compile("^CREATE ROLE (" + IDENT + ");\\s*$");
    private static final Pattern ROLE_STATEMENT = Pattern.compile("^(?:CREATE|ALTER) ROLE (" + IDENT + ")");
    private static final Pattern DATABASE_MARKER = Pattern.compile("^-- Database \"((?:[^\"]|\"\")+)\" dump$");
    private static final Set<String> NOT_ROLES = Set.of("public", "current_user", "session_user", "current_role");

    private final Set<String> roles = new LinkedHashSet<>();
    private final Set<String> neededEvenWithoutPrivileges = new LinkedHashSet<>();
    private final Set<String> extensions = new LinkedHashSet<>();
    private final List<String> databases = new ArrayList<>();
    private final List<String> roleDefinitions = new ArrayList<>();
    private boolean createsDatabase;
    private boolean clusterDump;

    /**
     * Read one line of SQL.
     *
     * @param text the line, without its line break (a trailing CR is ignored)
     */
    public void accept(String text) {
        String line = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        if (line.startsWith("-- PostgreSQL database cluster dump")) {
            clusterDump = true;
            return;
        }
        Matcher m = DATABASE_MARKER.matcher(line);
        if (m.matches()) {
            databases.add(m.group(1).replace("\"\"", "\""));
            return;
        }
        if (line.startsWith("CREATE DATABASE ") || line.startsWith("\\connect ")) {
            createsDatabase = true;
            return;
        }
        if (clusterDump && databases.isEmpty() && (line.startsWith("CREATE ROLE ") || line.startsWith("ALTER ROLE ")
                || line.startsWith("GRANT "))) {
            roleDefinitions.add(line);
            Matcher created = CREATE_ROLE.matcher(line);
            if (created.matches()) {
                roles.add(unquote(created.group(1)));
            }
        }
        if ((m = OWNER.matcher(line)).matches()) {
            if (!line.startsWith("ALTER DATABASE ")) {
                roles.add(unquote(m.group(1)));
            }
        } else if ((m = GRANT.matcher(line)).matches() || (m = REVOKE.matcher(line)).matches()) {
            addAll(m.group(1), roles);
            Matcher forRole = FOR_ROLE.matcher(line);
            if (forRole.find()) {
                addAll(forRole.group(1), roles);
            }
        } else if ((m = SET_ROLE.matcher(line)).matches()) {
            String name = m.group(1) != null ? m.group(1) : unquote(m.group(2));
            if (!"default".equalsIgnoreCase(name) && !"none".equalsIgnoreCase(name)) {
                roles.add(name);
                neededEvenWithoutPrivileges.add(name);
            }
        } else if ((m = AUTHORIZATION.matcher(line)).find()) {
            roles.add(unquote(m.group(1)));
        } else if ((m = POLICY.matcher(line)).find()) {
            addAll(m.group(1), roles);
            addAll(m.group(1), neededEvenWithoutPrivileges);
        } else if ((m = EXTENSION.matcher(line)).find()) {
            extensions.add(unquote(m.group(1)));
        }
    }

    /**
     * Return the role a {@code CREATE ROLE} or {@code ALTER ROLE} statement is about.
     *
     * @param sql one statement line
     * @return the role name, or {@code null} for other statements
     */
    public static String roleOf(String sql) {
        Matcher m = ROLE_STATEMENT.matcher(sql);
        return m.find() ? unquote(m.group(1)) : null;
    }

    private static void addAll(String list, Set<String> into) {
        Matcher m = IDENTS.matcher(list);
        while (m.find()) {
            String name = unquote(m.group());
            if (!NOT_ROLES.contains(name.toLowerCase(Locale.ROOT)) || m.group().startsWith("\"")) {
                into.add(name);
            }
        }
    }

    private static String unquote(String ident) {
        if (ident.startsWith("\"")) {
            return ident.substring(1, ident.length() - 1).replace("\"\"", "\"");
        }
        return ident.toLowerCase(Locale.ROOT);
    }

    /**
     * Return every role the dump names, predefined {@code pg_*} roles excluded.
     *
     * @return role names in order of appearance
     */
    public List<String> roles() {
        return roles.stream().filter(r -> !r.startsWith("pg_")).toList();
    }

    /**
     * Return the roles a restore needs even when it skips ownership and privileges: those of
     * row-level security policies and {@code SET ROLE}.
     *
     * @return role names in order of appearance
     */
    public List<String> rolesNeededWithoutPrivileges() {
        return neededEvenWithoutPrivileges.stream().filter(r -> !r.startsWith("pg_")).toList();
    }

    /**
     * Return the extensions the dump creates.
     *
     * @return extension names in order of appearance
     */
    public List<String> extensions() {
        return List.copyOf(extensions);
    }

    /**
     * Tell whether the dump creates a database or connects to one ({@code pg_dump --create},
     * {@code pg_dumpall}).
     *
     * @return {@code true} when it has {@code CREATE DATABASE} or {@code \connect}
     */
    public boolean createsDatabase() {
        return createsDatabase;
    }

    /**
     * Tell whether the file is a {@code pg_dumpall} file.
     *
     * @return {@code true} for a cluster dump
     */
    public boolean clusterDump() {
        return clusterDump;
    }

    /**
     * Return the databases of a {@code pg_dumpall} file, in the order they appear.
     *
     * @return database names; empty for other dumps
     */
    public List<String> databases() {
        return List.copyOf(databases);
    }

    /**
     * Return the {@code CREATE ROLE}, {@code ALTER ROLE} and membership {@code GRANT} lines of a
     * {@code pg_dumpall} file's globals.
     *
     * @return the statements, in order
     */
    public List<String> roleDefinitions() {
        return List.copyOf(roleDefinitions);
    }
}
