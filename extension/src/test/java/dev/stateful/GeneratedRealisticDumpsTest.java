package dev.stateful;

import dev.stateful.dump.DumpFormat;
import dev.stateful.dump.RestoreOptions;
import dev.stateful.error.DumpException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.internal.dump.Dumps;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dumps made the way production dumps are made, by the real {@code pg_dump}/{@code pg_dumpall}
 * of an older server (Postgres 15): objects owned by an application role, grants to other
 * roles, row-level security policies, a second database, login roles with memberships. They
 * are restored into the default image as they come.
 */
@StartedHandles
class GeneratedRealisticDumpsTest {
    static final String OLDER = "postgres:15-bookworm";
    private static final List<String> ROLES = List.of("app_owner", "app_rw", "app_ro", "Reporting Team", "alice");

    @Started(nameHint = "dumps-prod15", image = OLDER)
    private static StatefulPostgres source;
    @Started(nameHint = "dumps-target")
    private static StatefulPostgres target;
    @TempDir
    static Path dumps;

    @BeforeAll
    static void makeProductionLikeDumps() throws Exception {
        Sql.run(source,
                "CREATE ROLE app_owner", "CREATE ROLE app_rw", "CREATE ROLE app_ro", "CREATE ROLE \"Reporting Team\"",
                "CREATE ROLE alice LOGIN CONNECTION LIMIT 7 IN ROLE app_rw",
                "CREATE SCHEMA shop AUTHORIZATION app_owner",
                "CREATE TABLE shop.orders (id int PRIMARY KEY, tenant text NOT NULL, total numeric NOT NULL)",
                "INSERT INTO shop.orders SELECT i, CASE WHEN i % 4 = 0 THEN 'a' ELSE 'b' END, i * 1.5 "
                        + "FROM generate_series(1, 1000) i",
                "ALTER TABLE shop.orders OWNER TO app_owner",
                "GRANT USAGE ON SCHEMA shop TO app_rw, app_ro, \"Reporting Team\"",
                "GRANT SELECT, INSERT, UPDATE ON shop.orders TO app_rw",
                "GRANT SELECT ON shop.orders TO app_ro, \"Reporting Team\"",
                "ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY tenant_a ON shop.orders TO app_rw USING (tenant = 'a')",
                "CREATE DATABASE legacy_shop OWNER app_owner");
        exec(source, List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--username=test", "--dbname=legacy_shop",
                "--command=CREATE TABLE archived (id int); INSERT INTO archived SELECT generate_series(1, 42)"));
        pgDump(source, "orders.sql.gz", true, "pg_dump", "--username=test", "--dbname=test");
        pgDump(source, "orders.dump", false, "pg_dump", "--username=test", "--dbname=test", "--format=custom");
        pgDump(source, "orders.tar", false, "pg_dump", "--username=test", "--dbname=test", "--format=tar");
        source.dumps().dump(dumps.resolve("orders-dir"), DumpFormat.DIRECTORY);
        pgDump(source, "legacy-create.sql", false, "pg_dump", "--username=test", "--dbname=legacy_shop", "--create");
        pgDump(source, "cluster.sql", false, "pg_dumpall", "--username=test");
        pgDump(source, "globals.sql", false, "pg_dumpall", "--username=test", "--globals-only");
        pgDump(source, "public-only.sql", false, "pg_dump", "--username=test", "--dbname=test", "--schema=public");
    }

    /** Each test starts from a target without the dump's roles. */
    @BeforeEach
    void dropTheDumpsRoles() throws SQLException {
        List<String> drop = new ArrayList<>(List.of("DROP SCHEMA IF EXISTS shop CASCADE"));
        for (String role : ROLES) {
            String quoted = "\"" + role + "\"";
            drop.add("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN "
                    + "EXECUTE 'DROP OWNED BY " + quoted.replace("'", "''") + "'; EXECUTE 'DROP ROLE "
                    + quoted.replace("'", "''") + "'; END IF; END $$");
        }
        Sql.run(target, drop.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"orders.sql.gz", "orders.dump", "orders.tar", "orders-dir"})
    void byDefaultObjectsBelongToTheTestRoleAndEveryRoleTheDumpNamesExists(String file) throws SQLException {
        target.restoreDump(dumps.resolve(file));

        assertThat(Sql.text(target, "SELECT count(*) || ':' || sum(total) FROM shop.orders")).isEqualTo("1000:750750.0");
        assertThat(Sql.text(target, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")).isEqualTo("test");
        assertThat(Sql.text(target, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'shop'"))
                .isEqualTo("test");
        assertThat(Sql.text(target, "SELECT string_agg(rolname || '=' || rolcanlogin, ',' ORDER BY rolname) FROM pg_roles"
                + " WHERE rolname IN ('app_owner', 'app_rw', 'app_ro', 'Reporting Team')"))
                .isEqualTo("Reporting Team=false,app_owner=false,app_ro=false,app_rw=false");
        assertThat(Sql.text(target, "SELECT has_table_privilege('app_rw', 'shop.orders', 'INSERT') AND "
                + "has_table_privilege('app_ro', 'shop.orders', 'SELECT') AND "
                + "has_table_privilege('Reporting Team', 'shop.orders', 'SELECT') AND NOT "
                + "has_table_privilege('app_ro', 'shop.orders', 'INSERT')")).isEqualTo("t");
        assertThat(Sql.text(target, "SELECT polname || ':' || array_to_string(polroles::regrole[], ',') "
                + "FROM pg_policy")).isEqualTo("tenant_a:app_rw");
        // The policy works: app_rw sees tenant a's rows only.
        assertThat(Sql.text(target, "SET ROLE app_rw; SELECT count(*) FROM shop.orders")).isEqualTo("250");
    }

    @Test
    void keepRestoresOwnershipExactlyWhenTheRolesExist() throws SQLException {
        Sql.run(target, "CREATE ROLE app_owner", "CREATE ROLE app_rw", "CREATE ROLE app_ro",
                "CREATE ROLE \"Reporting Team\"");

        target.dumps().restore(dumps.resolve("orders.sql.gz"), RestoreOptions.defaults()
                .withRoles(RestoreOptions.Roles.KEEP));

        assertThat(Sql.text(target, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'"))
                .isEqualTo("app_owner");
        assertThat(Sql.text(target, "SELECT has_table_privilege('app_ro', 'shop.orders', 'SELECT')")).isEqualTo("t");
    }

    @Test
    void skipDropsOwnershipAndPrivilegesButKeepsThePoliciesRoles() throws SQLException {
        target.dumps().restore(dumps.resolve("orders.tar"), RestoreOptions.defaults().withRoles(RestoreOptions.Roles.SKIP));

        assertThat(Sql.text(target, "SELECT count(*) FROM shop.orders")).isEqualTo("1000");
        assertThat(Sql.text(target, "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname IN "
                + "('app_owner', 'app_rw', 'app_ro', 'Reporting Team')")).isEqualTo("app_rw");
        assertThat(Sql.text(target, "SELECT has_table_privilege('app_rw', 'shop.orders', 'SELECT')")).isEqualTo("f");
    }

    @Test
    void aDumpMadeWithCreateGoesIntoTheHandlesDatabase() throws SQLException {
        target.restoreDump(dumps.resolve("legacy-create.sql"));

        assertThat(Sql.text(target, "SELECT count(*) FROM archived")).isEqualTo("42");
        assertThat(Sql.text(target, "SELECT count(*) FROM pg_database WHERE datname = 'legacy_shop'")).isEqualTo("0");
    }

    @Test
    void aPgDumpallFileRestoresRolesAndMembershipsThenTheChosenDatabase() throws SQLException {
        assertThatThrownBy(() -> target.restoreDump(dumps.resolve("cluster.sql")))
                .isInstanceOf(DumpException.class)
                .hasMessageContaining("it holds 2 user databases [legacy_shop, test]")
                .hasMessageContaining("Fix: RestoreOptions.withClusterDatabase(\"name\")");

        target.dumps().restore(dumps.resolve("cluster.sql"), RestoreOptions.defaults().withClusterDatabase("test")
                .withRoles(RestoreOptions.Roles.KEEP));

        assertThat(Sql.text(target, "SELECT count(*) FROM shop.orders")).isEqualTo("1000");
        assertThat(Sql.text(target, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'"))
                .isEqualTo("app_owner");
        assertThat(Sql.text(target, "SELECT rolcanlogin || ':' || rolconnlimit FROM pg_roles WHERE rolname = 'alice'"))
                .isEqualTo("true:7");
        assertThat(Sql.text(target, "SELECT pg_has_role('alice', 'app_rw', 'MEMBER')")).isEqualTo("t");
        assertThat(Sql.text(target, "SELECT count(*) FROM pg_database WHERE datname = 'legacy_shop'")).isEqualTo("0");
        // The image's own role keeps its password: the handle still connects.
        assertThat(Sql.text(target, "SELECT current_user")).isEqualTo("test");
    }

    @Test
    void globalsBesideADatabaseDumpAreRestoredFirst() throws SQLException {
        target.dumps().restore(dumps.resolve("orders.dump"), RestoreOptions.defaults()
                .withGlobals(dumps.resolve("globals.sql")).withRoles(RestoreOptions.Roles.KEEP));

        assertThat(Sql.text(target, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'"))
                .isEqualTo("app_owner");
        assertThat(Sql.text(target, "SELECT pg_has_role('alice', 'app_rw', 'MEMBER')")).isEqualTo("t");
    }

    @Test
    void ruleNewerDumpSetting_aPg17DumpRestoresIntoPg15() throws Exception {
        Sql.run(target, "CREATE TABLE modern (id int PRIMARY KEY)", "INSERT INTO modern SELECT generate_series(1, 10)");
        Path dump = pgDump(target, "pg17.sql", false, "pg_dump", "--username=test", "--dbname=test");
        assertThat(Files.readString(dump)).contains("SET transaction_timeout = 0;");
        try {
            source.restoreDump(dump);
            assertThat(Sql.text(source, "SELECT count(*) FROM modern")).isEqualTo("10");
        } finally {
            source.dumps().restore(dumps.resolve("orders.dump"), RestoreOptions.defaults()
                    .withRoles(RestoreOptions.Roles.KEEP));
        }
    }

    @Test
    void rulePublicSchemaExists_aDumpOfSchemaPublicRestores() throws IOException, SQLException {
        assertThat(Files.readString(dumps.resolve("public-only.sql"))).contains("CREATE SCHEMA public;");

        target.restoreDump(dumps.resolve("public-only.sql"));

        assertThat(Sql.text(target, "SELECT count(*) FROM pg_namespace WHERE nspname = 'public'")).isEqualTo("1");
    }

    @Test
    void rulePlpgsqlExists_anOldDumpsCreateLanguageRestores() throws IOException, SQLException {
        Path dump = Files.writeString(dumps.resolve("pg84-style.sql"), "CREATE PROCEDURAL LANGUAGE plpgsql;\n"
                + "CREATE TABLE t (id int);\nCOPY t (id) FROM stdin;\n1\n2\n\\.\n");

        target.restoreDump(dump);

        assertThat(Sql.text(target, "SELECT count(*) FROM t")).isEqualTo("2");
    }

    @Test
    void anUnknownErrorFailsWithItsTextAndLeavesTheDatabaseEmpty() throws Exception {
        Sql.run(target, "CREATE TABLE votes (id int)", "INSERT INTO votes VALUES (1), (2)",
                "CREATE VIEW any_vote AS SELECT any_value(id) AS id FROM votes");
        Path dump = target.dumps().dump(dumps.resolve("pg17-any-value.sql"), DumpFormat.PLAIN);
        Sql.run(source, "CREATE TABLE IF NOT EXISTS survivor (id int)");
        try {
            assertThatThrownBy(() -> source.restoreDump(dump))
                    .isInstanceOf(DumpException.class)
                    .hasMessageContaining("psql reported errors. First error: psql:<stdin>:")
                    .hasMessageContaining("ERROR:  function any_value(integer) does not exist")
                    .hasMessageContaining("was dropped and created again empty");
            assertThat(Sql.text(source, "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                    + "('pg_catalog', 'information_schema')")).isEqualTo("0");
        } finally {
            source.dumps().restore(dumps.resolve("orders.dump"), RestoreOptions.defaults()
                    .withRoles(RestoreOptions.Roles.KEEP));
        }
    }

    private static Path pgDump(StatefulPostgres db, String file, boolean gzip, String... argv) throws IOException {
        Path path = dumps.resolve(file);
        ExecResult result;
        try (OutputStream raw = Files.newOutputStream(path);
                OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            result = DockerEngine.get().exec(db.containerId(), "postgres", List.of(argv), out);
        }
        assertThat(result.succeeded()).as(result.stderrText()).isTrue();
        return path;
    }

    private static void exec(StatefulPostgres db, List<String> argv) {
        ExecResult result = DockerEngine.get().exec(db.containerId(), "postgres", argv);
        assertThat(result.succeeded()).as(result.stderrText()).isTrue();
    }
}
