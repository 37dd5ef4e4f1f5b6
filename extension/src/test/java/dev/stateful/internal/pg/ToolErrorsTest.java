package dev.stateful.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolErrorsTest {
    private static final String PG_RESTORE_ROLES = """
            pg_restore: error: could not execute query: ERROR:  role "app_owner" does not exist
            Command was: ALTER TABLE public.orders OWNER TO app_owner;
            pg_restore: error: could not execute query: ERROR:  role "reporting" does not exist
            Command was: GRANT SELECT ON TABLE public.orders TO reporting;
            pg_restore: error: could not execute query: ERROR:  role "app_owner" does not exist
            Command was: ALTER TABLE public.users OWNER TO app_owner;
            pg_restore: warning: errors ignored on restore: 3
            """;

    @Test
    void missingRolesAreListedOnceInOrder() {
        assertThat(ToolErrors.missingRoles(PG_RESTORE_ROLES)).containsExactly("app_owner", "reporting");
        assertThat(ToolErrors.missingRoles("psql:/tmp/x/dump.sql:12: ERROR:  role \"x\" does not exist"))
                .containsExactly("x");
        assertThat(ToolErrors.missingRoles("")).isEmpty();
    }

    @Test
    void missingExtensionsAreReadFromBothMessages() {
        String pg17 = """
                psql:/tmp/x/dump.sql:20: ERROR:  extension "postgis" is not available
                DETAIL:  Could not open extension control file "/usr/share/postgresql/17/extension/postgis.control": \
                No such file or directory.
                """;
        String pg13 = "ERROR:  could not open extension control file "
                + "\"/usr/share/postgresql/13/extension/hstore.control\": No such file or directory";
        assertThat(ToolErrors.missingExtensions(pg17)).containsExactly("postgis");
        assertThat(ToolErrors.missingExtensions(pg13)).containsExactly("hstore");
    }

    @Test
    void anUnsupportedArchiveVersionIsRead() {
        assertThat(ToolErrors.unsupportedArchiveVersion("pg_restore: error: unsupported version (1.16) in file header"))
                .contains("1.16");
        assertThat(ToolErrors.unsupportedArchiveVersion(PG_RESTORE_ROLES)).isEmpty();
    }

    @Test
    void corruptionIsRecognisedOnErrorLinesOnly() {
        assertThat(ToolErrors.looksCorrupt("pg_restore: error: could not read from input file: end of file")).isTrue();
        assertThat(ToolErrors.looksCorrupt("pg_restore: error: could not find block ID 3942 in archive -- possibly "
                + "corrupt archive")).isTrue();
        assertThat(ToolErrors.looksCorrupt("pg_restore: error: input file does not appear to be a valid archive"))
                .isTrue();
        assertThat(ToolErrors.looksCorrupt("NOTICE: table corrupt_rows created")).isFalse();
        assertThat(ToolErrors.looksCorrupt(PG_RESTORE_ROLES)).isFalse();
    }

    @Test
    void theFirstErrorLineIsPicked() {
        assertThat(ToolErrors.firstError(PG_RESTORE_ROLES)).isEqualTo(
                "pg_restore: error: could not execute query: ERROR:  role \"app_owner\" does not exist");
        assertThat(ToolErrors.firstError("\nsomething odd\n")).isEqualTo("something odd");
        assertThat(ToolErrors.firstError("")).isEqualTo("(no output)");
    }
}
