package dev.stateful.internal.dump;

import dev.stateful.dump.DumpFormat;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DumpMessagesTest {
    private static final String DESCRIPTION = "'prod.dump' (custom, 1.0 MiB)";

    @Test
    void missingRolesNameTheRolesAndTheWayOutPerFormat() {
        String stderr = "pg_restore: error: could not execute query: ERROR:  role \"app_owner\" does not exist\n";
        String custom = DumpMessages.restoreFailed(DESCRIPTION, "test", "pg_restore", 1, stderr, stderr.strip(),
                DumpFormat.CUSTOM, "postgres:17", "", true);
        String plain = DumpMessages.restoreFailed(DESCRIPTION, "test", "psql", 3, stderr, stderr.strip(),
                DumpFormat.PLAIN, "postgres:17", "", false);

        assertThat(custom).startsWith("Restoring dump 'prod.dump' (custom, 1.0 MiB) into database 'test' failed: "
                + "pg_restore exited with 1. The dump needs roles that do not exist on the server: app_owner.")
                .contains("Fix: create them before restoring (CREATE ROLE app_owner;), or restore with roles "
                        + "CREATE_MISSING (the default), which creates them NOLOGIN.")
                .contains("The database 'test' was dropped and created again empty, so nothing is half restored.\n"
                        + "pg_restore output (last lines):\n" + stderr.strip());
        assertThat(plain).contains("(CREATE ROLE app_owner;). ").doesNotContain("CREATE_MISSING");
    }

    @Test
    void missingExtensionsNameTheImage() {
        String stderr = "psql:/tmp/x:3: ERROR:  extension \"postgis\" is not available";
        assertThat(DumpMessages.restoreFailed(DESCRIPTION, "test", "psql", 3, stderr, stderr, DumpFormat.PLAIN,
                "postgres:17-trixie", "", false))
                .contains("The dump needs extensions that are not available in image postgres:17-trixie: postgis.")
                .contains("build one FROM postgres:17-trixie that installs them");
    }

    @Test
    void aNewerArchiveNamesBothVersions() {
        String stderr = "pg_restore: error: unsupported version (1.16) in file header";
        assertThat(DumpMessages.restoreFailed(DESCRIPTION, "test", "pg_restore", 1, stderr, stderr,
                DumpFormat.CUSTOM, "postgres:15", "pg_restore (PostgreSQL) 15.18", false))
                .contains("The dump was written by a newer pg_dump (archive version 1.16) than the server's "
                        + "pg_restore (pg_restore (PostgreSQL) 15.18) can read, in image postgres:15.")
                .contains("Fix: restore it into a server of the same or a newer major version");
    }

    @Test
    void corruptionAndUnknownFailures() {
        String corrupt = "pg_restore: error: could not read from input file: end of file";
        assertThat(DumpMessages.restoreFailed(DESCRIPTION, "test", "pg_restore", 1, corrupt, corrupt,
                DumpFormat.CUSTOM, "postgres:17", "", false))
                .contains("The dump is truncated or corrupt (pg_restore: error: could not read from input file: end "
                        + "of file). Expected a complete custom dump.");
        String other = "psql:/tmp/x:1: ERROR:  syntax error at or near \"SELEC\"";
        assertThat(DumpMessages.restoreFailed(DESCRIPTION, "test", "psql", 3, other, other, DumpFormat.PLAIN,
                "postgres:17", "", false))
                .contains("First error: psql:/tmp/x:1: ERROR:  syntax error at or near \"SELEC\". Fix: see the "
                        + "tool's output below.");
    }

    @Test
    void sizesAreReadable() {
        assertThat(DumpMessages.size(512)).isEqualTo("512 B");
        assertThat(DumpMessages.size(1536)).isEqualTo("1.5 KiB");
        assertThat(DumpMessages.size(5L * 1024 * 1024)).isEqualTo("5.0 MiB");
        assertThat(DumpMessages.size(3L * 1024 * 1024 * 1024)).isEqualTo("3.00 GiB");
    }
}
