package dev.stateful.internal.dump;

import dev.stateful.dump.DumpFormat;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.error.DumpException;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.pg.DumpCommands;
import dev.stateful.internal.pg.DumpScan;
import dev.stateful.internal.pg.RestoreErrors;
import dev.stateful.internal.pg.SqlIdentifiers;
import dev.stateful.internal.pg.ToolErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a restore checks and prepares before the dump's data goes in: read the roles, extensions
 * and databases the dump names, pick the database of a pg_dumpall file, refuse extensions the
 * image lacks, and create (or require) the roles it needs.
 */
final class RestoreChecks {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreChecks.class);
    private final ContainerDatabase db;

    RestoreChecks(ContainerDatabase db) {
        this.db = db;
    }

    /** Read the roles, extensions and databases a dump names, streaming only its statement lines. */
    DumpScan scan(DumpFormat format, String remote, String description, RestoreOptions options) {
        DumpScan scan = new DumpScan();
        List<String> argv = format == DumpFormat.PLAIN ? DumpCommands.scanPlain(remote)
                : DumpCommands.archiveSchema(format.name().toLowerCase(Locale.ROOT), remote);
        ExecResult result;
        try (LineSink sink = new LineSink(scan::accept)) {
            result = db.exec(argv, sink);
        }
        // grep exits 1 when no line matches: nothing to read, not an error.
        if (!result.succeeded() && format != DumpFormat.PLAIN) {
            // pg_restore cannot read the archive (a newer pg_dump, a corrupt file): the restore's own diagnosis.
            throw RestoreFailures.toolFailure(db, description, "pg_restore", result,
                    RestoreErrors.classify(result.stderrText(), List.of(RestoreErrors.Rule.values())), format, options);
        }
        if (!result.succeeded() && result.exitCode() != 1) {
            throw new DumpException("Reading the dump's schema failed: " + argv.get(0) + " exited with "
                    + result.exitCode() + ": " + ToolErrors.firstError(result.stderrText())
                    + ". Expected a readable dump. Fix: check the dump with pg_restore --list.",
                    result.stderrTail(ContainerDatabase.TAIL_LINES), List.of(), List.of(), null);
        }
        return scan;
    }

    String clusterDatabase(DumpScan scan, RestoreOptions options, String description) {
        if (!scan.clusterDump()) {
            if (!options.clusterDatabase().isEmpty()) {
                throw new DumpException("Restoring dump " + description + ": clusterDatabase '"
                        + options.clusterDatabase() + "' was given, but the dump is not a pg_dumpall file. Expected "
                        + "a pg_dumpall file with it. Fix: leave clusterDatabase out for a pg_dump file.");
            }
            if (scan.createsDatabase()) {
                LOG.info("Dump {} was made with --create: its CREATE DATABASE and \\connect are skipped, it is "
                        + "restored into database {}", description, db.database);
            }
            return "";
        }
        List<String> user = scan.databases().stream()
                .filter(d -> !List.of("template0", "template1", "postgres").contains(d)).toList();
        String chosen = options.clusterDatabase();
        if (chosen.isEmpty()) {
            if (user.size() != 1) {
                throw new DumpException("Restoring pg_dumpall file " + description + ": it holds " + user.size()
                        + " user databases " + user + " (all: " + scan.databases() + "); expected exactly one, or the "
                        + "one to restore named. Fix: RestoreOptions.withClusterDatabase(\"name\") or "
                        + "@RestoredFrom(clusterDatabase = \"name\").");
            }
            chosen = user.get(0);
        } else if (!scan.databases().contains(chosen)) {
            throw new DumpException("Restoring pg_dumpall file " + description + ": clusterDatabase '" + chosen
                    + "' is not in it; it holds " + scan.databases() + ". Fix: name one of those.");
        }
        LOG.info("Dump {} is a pg_dumpall file: restoring its roles, then its database '{}' into database {}",
                description, chosen, db.database);
        return chosen;
    }

    void checkExtensions(DumpScan scan, String description) {
        if (scan.extensions().isEmpty()) {
            return;
        }
        Set<String> available = new HashSet<>(db.query(
                "SELECT name FROM pg_available_extensions"));
        List<String> missing = scan.extensions().stream().filter(e -> !available.contains(e)).toList();
        if (!missing.isEmpty()) {
            throw new DumpException("Restoring dump " + description + " into database " + db.database + " cannot work: "
                    + "it creates extension" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + ", which image " + db.image + " does not have. Nothing was restored. Expected an image with "
                    + (missing.size() == 1 ? "that extension" : "those extensions") + " installed. Fix: use an image "
                    + "that has " + (missing.contains("postgis") ? "it, such as postgis/postgis, "
                    : "it (for contrib extensions such as pg_trgm the official postgres image has them), ")
                    + "for example @WithVolume(image = \"...\"), or one built FROM " + db.image + ".",
                    "", List.of(), missing, null);
        }
    }

    void prepareRoles(DumpScan scan, List<String> roleDefinitions, RestoreOptions options,
            String description) {
        Set<String> existing = new HashSet<>(db.query("SELECT rolname FROM pg_roles"));
        List<String> named = options.roles() == RestoreOptions.Roles.SKIP ? scan.rolesNeededWithoutPrivileges()
                : scan.roles();
        if (!roleDefinitions.isEmpty()) {
            restoreGlobals(roleDefinitions, existing, description);
            existing = new HashSet<>(db.query("SELECT rolname FROM pg_roles"));
        }
        Set<String> known = existing;
        List<String> missing = named.stream().filter(r -> !known.contains(r)).toList();
        if (missing.isEmpty()) {
            return;
        }
        if (options.roles() == RestoreOptions.Roles.KEEP) {
            throw new DumpException("Restoring dump " + description + " with roles KEEP: the dump needs role"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + ", which do"
                    + (missing.size() == 1 ? "es" : "") + " not exist on the server. Nothing was restored. Expected "
                    + "every owner and grantee to exist. Fix: create them first (for example from "
                    + "pg_dumpall --globals-only with RestoreOptions.withGlobals), or use roles CREATE_MISSING.",
                    "", missing, List.of(), null);
        }
        List<String> create = new ArrayList<>();
        for (String r : missing) {
            create.add("CREATE ROLE " + SqlIdentifiers.quote(r) + " NOLOGIN");
        }
        db.psql(DumpCommands.maintenanceDatabase(db.database), create);
        LOG.info("Created {} role(s) the dump {} names, NOLOGIN: {}", missing.size(), description,
                String.join(", ", missing));
    }

    /** Run a pg_dumpall file's role statements: create missing roles, never touch existing ones. */
    private void restoreGlobals(List<String> definitions, Set<String> existing, String description) {
        List<String> run = new ArrayList<>();
        for (String sql : definitions) {
            String target = DumpScan.roleOf(sql);
            if (target != null && existing.contains(target)) {
                continue;
            }
            run.add(sql.replaceAll(" GRANTED BY [^;]*;", ";"));
        }
        if (run.isEmpty()) {
            return;
        }
        ExecResult result = db.exec(DumpCommands.psqlCommandsTolerant(db.role, DumpCommands.maintenanceDatabase(db.database), run));
        RestoreErrors.Outcome outcome = RestoreErrors.classify(result.stderrText(),
                List.of(RestoreErrors.Rule.ROLE_EXISTS));
        if (!outcome.clean()) {
            throw new DumpException("Restoring the roles of " + description + " failed: "
                    + outcome.firstUnknown().orElse("") + ". Expected pg_dumpall's CREATE ROLE, ALTER ROLE and GRANT "
                    + "statements to run. Fix: see the output:\n" + result.stderrTail(ContainerDatabase.TAIL_LINES),
                    result.stderrTail(ContainerDatabase.TAIL_LINES), ToolErrors.missingRoles(result.stderrText()), List.of(), null);
        }
        LOG.info("Restored {} role statement(s) of pg_dumpall globals from {}", run.size(), description);
    }
}
