package dev.stateful.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DumpCommandsTest {
    @Test
    void pgDumpWritesToStandardOutputOrADirectory() {
        assertThat(DumpCommands.pgDump("test", "app", "custom", 4, null)).containsExactly("pg_dump",
                "--username=test", "--dbname=app", "--format=custom");
        assertThat(DumpCommands.pgDump("test", "app", "directory", 2, "/tmp/stateful-dump-1")).containsExactly(
                "pg_dump", "--username=test", "--dbname=app", "--format=directory", "--jobs=2",
                "--file=/tmp/stateful-dump-1");
        assertThatThrownBy(() -> DumpCommands.pgDump("test", "app", "directory", 2, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pgRestoreSkipsOwnersAndPrivilegesUnlessKeptAndRunsJobsAboveOne() {
        assertThat(DumpCommands.pgRestore("test", "app", "custom", 4, false, false, "/tmp/x/dump.dump"))
                .containsExactly("pg_restore", "--username=test", "--dbname=app", "--format=custom", "--no-owner",
                        "--no-privileges", "--jobs=4", "/tmp/x/dump.dump");
        assertThat(DumpCommands.pgRestore("test", "app", "tar", 1, true, true, "/tmp/x/dump.tar"))
                .containsExactly("pg_restore", "--username=test", "--dbname=app", "--format=tar", "/tmp/x/dump.tar");
    }

    @Test
    void psqlStopsAtTheFirstError() {
        assertThat(DumpCommands.psqlFile("test", "app", "/tmp/x/dump.sql")).containsExactly("psql", "-X", "-q", "-v",
                "ON_ERROR_STOP=1", "--username=test", "--dbname=app", "--file=/tmp/x/dump.sql");
        assertThat(DumpCommands.psqlCommands("test", "postgres", List.of("SELECT 1", "SELECT 2"))).endsWith(
                "--dbname=postgres", "--command=SELECT 1", "--command=SELECT 2");
    }

    @Test
    void recreatingADatabaseQuotesItsNameAndConnectsElsewhere() {
        assertThat(DumpCommands.recreateDatabase("my\"db", "o'wner")).containsExactly(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'my\"db' AND pid <> "
                        + "pg_backend_pid()",
                "DROP DATABASE IF EXISTS \"my\"\"db\" WITH (FORCE)",
                "CREATE DATABASE \"my\"\"db\" OWNER \"o'wner\"");
        assertThat(DumpCommands.maintenanceDatabase("test")).isEqualTo("postgres");
        assertThat(DumpCommands.maintenanceDatabase("postgres")).isEqualTo("template1");
    }

    @Test
    void housekeepingCommands() {
        assertThat(DumpCommands.pgbenchInit("test", "app", 3)).containsExactly("pgbench", "--initialize",
                "--scale=3", "--quiet", "--foreign-keys", "--username=test", "app");
        assertThat(DumpCommands.tarDirectory("/tmp/stateful-dump-1")).containsExactly("tar", "--create", "--file=-",
                "--directory=/tmp/stateful-dump-1", ".");
        assertThat(DumpCommands.remove("/tmp/stateful-restore-ab")).containsExactly("rm", "-rf", "--",
                "/tmp/stateful-restore-ab");
        assertThatThrownBy(() -> DumpCommands.remove("/var/lib/postgresql/data"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DumpCommands.version("pg_restore")).containsExactly("pg_restore", "--version");
    }
}
