package dev.stateful.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The statements pg_dump and pg_dumpall write, read for roles, extensions and databases. */
class DumpScanTest {
    @Test
    void rolesComeFromOwnersGrantsPoliciesSetRoleAndAuthorization() {
        DumpScan scan = scan(
                "ALTER TABLE public.orders OWNER TO app_owner;",
                "ALTER FUNCTION public.f(p integer) OWNER TO \"Billing Team\";",
                "GRANT SELECT,INSERT ON TABLE public.orders TO app_rw;",
                "GRANT SELECT ON TABLE public.orders TO app_ro, \"Reporting Team\" WITH GRANT OPTION;",
                "REVOKE ALL ON SCHEMA public FROM PUBLIC;",
                "ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA public GRANT SELECT ON TABLES TO auditor;",
                "CREATE POLICY tenant ON public.orders TO tenant_user USING ((tenant = CURRENT_USER));",
                "SET SESSION AUTHORIZATION 'legacy_owner';",
                "SET ROLE deployer;",
                "CREATE SCHEMA shop AUTHORIZATION shop_owner;",
                "ALTER SCHEMA public OWNER TO pg_database_owner;",
                "ALTER DATABASE prod OWNER TO dba;",
                "SET ROLE NONE;");

        assertThat(scan.roles()).containsExactly("app_owner", "Billing Team", "app_rw", "app_ro", "Reporting Team",
                "auditor", "migrator", "tenant_user", "legacy_owner", "deployer", "shop_owner");
        assertThat(scan.rolesNeededWithoutPrivileges()).containsExactly("tenant_user", "legacy_owner", "deployer");
        assertThat(scan.createsDatabase()).isFalse();
    }

    @Test
    void extensionsCreateDatabaseAndCrlfLines() {
        DumpScan scan = scan("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA public;\r",
                "CREATE EXTENSION postgis;", "CREATE DATABASE legacy WITH TEMPLATE = template0;", "\\connect legacy");

        assertThat(scan.extensions()).containsExactly("uuid-ossp", "postgis");
        assertThat(scan.createsDatabase()).isTrue();
    }

    @Test
    void aPgDumpallFileNamesItsDatabasesAndRoleStatements() {
        DumpScan scan = scan("-- PostgreSQL database cluster dump", "CREATE ROLE alice;",
                "ALTER ROLE alice WITH NOSUPERUSER LOGIN;", "GRANT app_rw TO alice GRANTED BY postgres;",
                "-- Database \"template1\" dump", "-- Database \"shop\" dump", "GRANT SELECT ON TABLE t TO bob;");

        assertThat(scan.clusterDump()).isTrue();
        assertThat(scan.databases()).containsExactly("template1", "shop");
        assertThat(scan.roleDefinitions()).containsExactly("CREATE ROLE alice;",
                "ALTER ROLE alice WITH NOSUPERUSER LOGIN;", "GRANT app_rw TO alice GRANTED BY postgres;");
        assertThat(scan.roles()).contains("alice", "bob");
        assertThat(DumpScan.roleOf("ALTER ROLE \"Odd\"\"Name\" WITH LOGIN;")).isEqualTo("Odd\"Name");
    }

    @Test
    void theGrepPatternSelectsTheLinesTheScanReads() {
        Pattern grep = Pattern.compile(DumpScan.SQL_LINE_PATTERN);
        assertThat(grep.matcher("ALTER TABLE t OWNER TO x;").find()).isTrue();
        assertThat(grep.matcher("\\connect shop").find()).isTrue();
        assertThat(grep.matcher("-- Database \"shop\" dump").find()).isTrue();
        assertThat(grep.matcher("1\tGRANT me a wish").find()).isFalse();
        assertThat(grep.matcher("INSERT INTO t VALUES (1);").find()).isFalse();
    }

    private static DumpScan scan(String... lines) {
        DumpScan scan = new DumpScan();
        for (String line : lines) {
            scan.accept(line);
        }
        return scan;
    }
}
