package dev.stateful;

import dev.stateful.internal.dump.Dumps;
import dev.stateful.error.DumpException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dumps moving between major versions: older to newer works, newer to older fails with both versions named. */
@StartedHandles
class DumpVersionsTest {
    static final String NEWER = "postgres:17-trixie";
    static final String OLDER = "postgres:15-bookworm";

    @Started(nameHint = "dump-newer", image = NEWER)
    private static StatefulPostgres newer;
    @Started(nameHint = "dump-older", image = OLDER)
    private static StatefulPostgres older;

    @TempDir
    Path dir;

    @Test
    void aDumpFromANewerPgDumpIsRefusedWithBothVersions() throws SQLException {
        Sql.run(newer, "CREATE TABLE IF NOT EXISTS t (id int)");
        Sql.run(older, "CREATE TABLE survivor (id int)");
        Path dump = newer.dumps().dump(dir.resolve("pg17.dump"));

        assertThatThrownBy(() -> older.restoreDump(dump))
                .isInstanceOfSatisfying(DumpException.class, e -> assertThat(e.toolOutput())
                        .contains("unsupported version (1.16) in file header"))
                .hasMessageContaining("pg_restore exited with 1. The dump was written by a newer pg_dump (archive "
                        + "version 1.16) than the server's pg_restore (pg_restore (PostgreSQL) 15.")
                .hasMessageContaining("can read, in image " + OLDER + ".")
                .hasMessageContaining("Fix: restore it into a server of the same or a newer major version");
        assertThat(Sql.text(older, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");
    }

    @Test
    void aDumpFromAnOlderServerRestoresIntoANewerOne() throws SQLException {
        Sql.run(older, "DROP TABLE IF EXISTS legacy", "CREATE TABLE legacy (id int PRIMARY KEY, note text)",
                "INSERT INTO legacy SELECT i, 'n' || i FROM generate_series(1, 100) i");
        Path dump = older.dumps().dump(dir.resolve("pg15.dump"));

        newer.restoreDump(dump);

        assertThat(Sql.text(newer, "SELECT count(*) || ':' || max(note) FROM legacy")).isEqualTo("100:n99");
    }
}
