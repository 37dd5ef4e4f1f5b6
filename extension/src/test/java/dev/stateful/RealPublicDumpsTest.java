package dev.stateful;

import dev.stateful.dump.RestoreOptions;
import dev.stateful.error.DumpException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.stateful.testing.RealData;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real public sample dumps nobody here made, restored as they come. They are not in the
 * repository: the tests read them from the directory named by the system property
 * {@code stateful.real-dumps} or the variable {@code STATEFUL_REAL_DUMPS} (default
 * {@code ../shared/dumps} beside the project) and are skipped, naming the file and its public
 * source, when it is absent. Sources and licences: docs/dumps.md.
 */
@StartedHandles
class RealPublicDumpsTest {
    /** dvdrental's 15 tables and their rows, as its publisher documents them. */
    private static final Map<String, Integer> DVDRENTAL = new TreeMap<>(Map.ofEntries(
            Map.entry("actor", 200), Map.entry("address", 603), Map.entry("category", 16), Map.entry("city", 600),
            Map.entry("country", 109), Map.entry("customer", 599), Map.entry("film", 1000),
            Map.entry("film_actor", 5462), Map.entry("film_category", 1000), Map.entry("inventory", 4581),
            Map.entry("language", 6), Map.entry("payment", 14596), Map.entry("rental", 16044), Map.entry("staff", 2),
            Map.entry("store", 2)));

    @Started(nameHint = "real-dumps")
    private static StatefulPostgres db;

    @BeforeEach
    void withoutTheDumpsRoles() throws SQLException {
        Sql.text(db, "DO $$ DECLARE r text; BEGIN FOR r IN SELECT rolname FROM pg_roles WHERE rolname IN ('postgres', 'user')"
                + " LOOP EXECUTE format('DROP OWNED BY %I', r); EXECUTE format('DROP ROLE %I', r); END LOOP; END $$; "
                + "SELECT 1");
    }

    @Test
    void dvdrentalTarFromPgDump11RestoresWithItsPostgresOwnerCreated() throws SQLException {
        db.restoreDump(dump("dvdrental.tar", "dvdrental.tar in github.com/harryalto/pgsql-restore-ready-image "
                + "(the file inside it), the postgresqltutorial.com sample"));

        assertThat(rowCounts()).isEqualTo(DVDRENTAL);
        assertThat(Sql.text(db, "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'postgres'")).isEqualTo("f");
        assertThat(Sql.text(db, "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'public'"))
                .isEqualTo("test");
    }

    @Test
    void dvdrentalTarFromPgDump92RestoresOnPostgres17() throws SQLException {
        // pg_dump 9.2.4 (archive 1.12) dumps CREATE SCHEMA public and plpgsql: harmless on 17.
        db.restoreDump(dump("dvdrental-pg92.tar", "dvdrental.tar in github.com/prasertcbs/postgresql_tutorial "
                + "(pg_dump 9.2.4, 2013), the postgresqltutorial.com sample"));

        assertThat(rowCounts()).isEqualTo(DVDRENTAL);
        assertThat(Sql.text(db, "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'public'"))
                .isEqualTo("test");
    }

    @Test
    void northwindCustomDumpFromPgDump96Restores() throws SQLException {
        db.restoreDump(dump("northwind-pg96.dump", "northwind.tar (a custom-format dump despite its name) in "
                + "github.com/amirbigg/database-design (pg_dump 9.6.3, 2017)"));

        assertThat(Sql.text(db, "SELECT count(*) FROM orders")).isEqualTo("830");
        assertThat(Sql.text(db, "SELECT count(*) FROM order_details")).isEqualTo("2155");
    }

    @Test
    void dvdrentalTarKeepsItsOwnerWhenAskedAndTheRoleExists() throws SQLException {
        Sql.text(db, "CREATE ROLE postgres NOLOGIN; SELECT 1");

        db.dumps().restore(dump("dvdrental.tar", "github.com/harryalto/pgsql-restore-ready-image"),
                RestoreOptions.defaults().withRoles(RestoreOptions.Roles.KEEP));

        assertThat(Sql.text(db, "SELECT count(*) FROM rental")).isEqualTo("16044");
        assertThat(Sql.text(db, "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'public'"))
                .isEqualTo("postgres");
        assertThat(Sql.text(db, "SELECT proowner::regrole::text FROM pg_proc WHERE proname = 'film_in_stock'"))
                .isEqualTo("postgres");
    }

    @Test
    void dvdrentalAsADirectoryDump() throws SQLException {
        db.restoreDump(dump("dvdrental-directory", "the dvdrental/ directory inside dvdrental.tar of "
                + "github.com/fernandoalava/pg-db-dvdrental"));

        assertThat(rowCounts()).isEqualTo(DVDRENTAL);
    }

    @Test
    void dvdrentalAsAGzippedPlainDumpFromPgDump14() throws SQLException {
        db.restoreDump(dump("dvd_rental.sql.gz", "data/dvd_rental.sql.gz in "
                + "github.com/harryalto/pgsql-restore-ready-image"));

        assertThat(rowCounts()).isEqualTo(DVDRENTAL);
    }

    @Test
    void pagilaNeedsPgvectorAndFailsBeforeRestoringAnything() throws SQLException {
        Path pagila = dump("pagila-schema.sql.gz", "pagila-schema.sql of github.com/devrimgunduz/pagila, gzipped");

        assertThatThrownBy(() -> db.restoreDump(pagila))
                .isInstanceOfSatisfying(DumpException.class, e -> assertThat(e.missingExtensions())
                        .containsExactly("vector"))
                .hasMessageContaining("it creates extension vector, which image " + db.image() + " does not have. "
                        + "Nothing was restored.");
        assertThat(Sql.text(db, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")).isEqualTo("0");
        assertThat(Sql.text(db, "SELECT count(*) FROM pg_roles WHERE rolname = 'postgres'")).isEqualTo("0");
    }

    @Test
    void aPgDumpallFileWithCleanRestoresItsRoleAndItsOnlyDatabase() throws SQLException {
        db.restoreDump(dump("nx-sample-cluster.sql", "data/sample.sql of github.com/rkristelijn/nx-sample"));

        assertThat(Sql.text(db, "SELECT count(*) || ':' || string_agg(bar, ',' ORDER BY id) FROM foo")).isNotNull()
                .startsWith("2:");
        assertThat(Sql.text(db, "SELECT rolcanlogin || ':' || rolsuper FROM pg_roles WHERE rolname = 'user'"))
                .isEqualTo("true:true");
        assertThat(Sql.text(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'foo'")).isEqualTo("test");
        assertThat(Sql.text(db, "SELECT count(*) FROM pg_database WHERE datname = 'sample'")).isEqualTo("0");
        assertThat(Sql.text(db, "SELECT count(*) FROM pg_database WHERE datname IN ('postgres', 'template1')"))
                .isEqualTo("2");
    }

    static Path directory() {
        return RealData.folder("stateful.real-dumps", "STATEFUL_REAL_DUMPS", "dumps");
    }

    private static Path dump(String name, String source) {
        Path file = directory().resolve(name);
        RealData.require(Files.exists(file), () -> "Real dump '" + name + "' not found in " + directory() + "; it is "
                + source + ". Put it there or point stateful.real-dumps / STATEFUL_REAL_DUMPS at a directory "
                + "holding it (see docs/dumps.md).");
        return file;
    }

    private static Map<String, Integer> rowCounts() throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        for (String table : DVDRENTAL.keySet()) {
            counts.put(table, Integer.parseInt(Sql.text(db, "SELECT count(*) FROM public." + table)));
        }
        return counts;
    }
}
