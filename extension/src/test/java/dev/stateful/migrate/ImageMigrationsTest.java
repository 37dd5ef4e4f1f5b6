package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.error.MigrationException;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.engine.MigratorImages;
import dev.stateful.internal.engine.TestImages;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application's own migrator image, run beside a real server: example images are built
 * locally in the test (FROM the Postgres image, a script applying SQL files with psql and
 * recording its own {@code schema_version} table). Release 1 holds 001 and 002, release 2 adds
 * 003, a broken release adds 004 that fails. After every test no migrator container and no
 * private network of this run is left.
 */
@StartedHandles
class ImageMigrationsTest {
    private static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private static final String RELEASE_1 = "stateful-test/orders-migrator:1-" + SUFFIX;
    private static final String RELEASE_2 = "stateful-test/orders-migrator:2-" + SUFFIX;
    private static final String BROKEN = "stateful-test/orders-migrator:broken-" + SUFFIX;

    @Started(nameHint = "image-migrator")
    private static StatefulPostgres db;
    private Set<String> containersBefore;

    @BeforeAll
    static void buildImages() {
        String postgres = StatefulSettings.defaultImage();
        Map<String, String> release1 = new LinkedHashMap<>();
        release1.put("001_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, total_cents int NOT NULL);");
        release1.put("002_customers.sql", "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);");
        MigratorImages.build(postgres, RELEASE_1, release1);
        Map<String, String> release2 = new LinkedHashMap<>(release1);
        release2.put("003_order_customer.sql", "ALTER TABLE orders ADD COLUMN customer_id int REFERENCES customers;");
        MigratorImages.build(postgres, RELEASE_2, release2);
        Map<String, String> broken = new LinkedHashMap<>(release2);
        broken.put("004_broken.sql", "CREATE TABLE audit (id int);\nINSERT INTO nowhere VALUES (1);");
        MigratorImages.build(postgres, BROKEN, broken);
    }

    @AfterAll
    static void removeImages() {
        TestImages.remove(RELEASE_1);
        TestImages.remove(RELEASE_2);
        TestImages.remove(BROKEN);
    }

    @BeforeEach
    void emptyDatabase() throws SQLException {
        Sql.run(db, Sql.DROP_USER_SCHEMAS);
        containersBefore = engine().containersLabelled(Labels.RUN, Labels.runId()).keySet();
    }

    @AfterEach
    void nothingLeftBehind() {
        assertThat(engine().networksLabelled(Labels.RUN, Labels.runId()).keySet())
                .noneMatch(name -> name.startsWith("stateful-migrate-"));
        assertThat(engine().containersLabelled(Labels.RUN, Labels.runId()).keySet())
                .isSubsetOf(containersBefore);
    }

    private static DockerEngine engine() {
        return HandleAccess.server(db).engine();
    }

    @Test
    void toATargetThenTheNextReleasesMigratorFromTheStateTheFirstLeft() throws SQLException {
        // tag::image-settings[]
        MigrationSettings release1 = MigrationSettings.defaults().withImage(RELEASE_1, "migrate");
        MigrationResult first = db.migrations().withSettings(release1).migrateTo("1"); // STATEFUL_TARGET=1
        assertThat(Sql.column(db, "SELECT name FROM schema_version ORDER BY version")).containsExactly("001_orders");

        MigrationResult next = db.migrations().migrateWith(RELEASE_2, "migrate");     // the next release, to latest
        // end::image-settings[]

        assertThat(first.to()).contains("1");
        assertThat(Sql.tableExists(db, "customers")).isTrue();

        assertThat(next.to()).contains("latest");
        assertThat(next.applied()).isEmpty();
        assertThat(Sql.column(db, "SELECT name FROM schema_version ORDER BY version"))
                .containsExactly("001_orders", "002_customers", "003_order_customer");
        assertThat(Sql.number(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' "
                + "AND column_name = 'customer_id'")).isEqualTo(1);
    }

    @Test
    void theMigratorGetsTheConnectionEnvironmentTheTargetAndItsOwnVariables() throws SQLException {
        // The test's own script: it connects with DATABASE_URL only and records what it was given.
        String script = "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -qc \"CREATE TABLE seen AS SELECT "
                + "'$JDBC_URL'::text AS jdbc, '$PGHOST:$PGPORT/$PGDATABASE as $PGUSER'::text AS libpq, "
                + "'$STATEFUL_TARGET'::text AS target, '$RELEASE_NOTE'::text AS note, '$DATABASE_URL'::text AS url\"";
        db.migrations().withSettings(MigrationSettings.defaults().withImage(RELEASE_1, "sh", "-c", script)
                .withEnv(Map.of("RELEASE_NOTE", "two words"))).migrateTo("2026.12");

        assertThat(Sql.text(db, "SELECT jdbc || '|' || libpq || '|' || target || '|' || note FROM seen")).isEqualTo(
                "jdbc:postgresql://stateful-db:5432/test|stateful-db:5432/test as test|2026.12|two words");
        // The URL it connected with (the generated password is letters and digits: nothing to encode).
        assertThat(Sql.text(db, "SELECT url FROM seen"))
                .isEqualTo("postgresql://test:" + db.password() + "@stateful-db:5432/test");
    }

    @Test
    void eachArgvElementReachesTheMigratorVerbatimWithNoShellBetween() throws SQLException {
        // The script hands its one argument to psql as a variable, which psql quotes as a literal.
        String script = "echo \"CREATE TABLE argv AS SELECT :'arg'::text AS arg, $#::int AS count\" "
                + "| psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -q -v arg=\"$1\"";
        String argument = "a b;c $(id) `id` 'single' \"double\" * $HOME \\ | > x";

        db.migrations().migrateWith(RELEASE_1, "sh", "-c", script, "migrator", argument);

        assertThat(Sql.text(db, "SELECT arg FROM argv")).isEqualTo(argument);
        assertThat(Sql.number(db, "SELECT count FROM argv")).isEqualTo(1);
    }

    @Test
    void aFailingMigratorNamesImageCommandExitCodeAndItsLastOutput() throws SQLException {
        assertThatThrownBy(() -> db.migrations().migrateWith(BROKEN, "migrate"))
                .isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                    assertThat(e.script()).isEqualTo(BROKEN);
                    // A migrator image is not observed: the failure has no steps.
                    assertThat(e).isInstanceOfSatisfying(ObservedMigrationFailedException.class,
                            o -> assertThat(o.steps()).isEmpty());
                    assertThat(e.getMessage())
                            .startsWith("Migrator image " + BROKEN + " with command [migrate] exited with code 3 "
                                    + "(target latest, database test). Its last output lines:\n")
                            .contains("  applying 004_broken")
                            .contains("psql:/migrations/004_broken.sql:2: ERROR:  relation \"nowhere\" does not exist")
                            .endsWith("The database is as the migrator left it (Stateful cannot tell what it "
                                    + "applied). Fix: fix the migration the output names, then run the test again.")
                            .doesNotContain(db.password());
                });
        assertThat(Sql.number(db, "SELECT max(version) FROM schema_version")).isEqualTo(3);
        assertThat(Sql.tableExists(db, "audit")).isFalse();
    }

    @Test
    void aCommandTheImageLacksIsAFailedMigrationNamingIt() {
        assertThatThrownBy(() -> db.migrations().migrateWith(RELEASE_1, "alembic", "upgrade", "head"))
                .isInstanceOf(MigrationFailedException.class)
                .hasMessageStartingWith("Migrator image " + RELEASE_1 + " with command [alembic, upgrade, head] exited "
                        + "with code 127")
                .hasMessageContaining("alembic");
        String noEntrypoint = TestImages.importNotPostgres("stateful-test/no-entrypoint", SUFFIX);
        try {
            assertThatThrownBy(() -> db.migrations().migrateWith(noEntrypoint, "migrate"))
                    .isInstanceOf(MigrationFailedException.class)
                    .hasMessageStartingWith("Migrator image " + noEntrypoint + " with command [migrate] could not start "
                            + "(target latest, database test): cannot start container ")
                    .hasMessageEndingWith(". Fix: name a command the image has (its entrypoint stays; command is its "
                            + "argv), or give none to run the image's own.");
        } finally {
            TestImages.remove(noEntrypoint);
        }
    }

    @Test
    void aMigratorPastTheCommandDeadlineIsKilledAndReported() {
        try (StatefulPostgres quick = StatefulPostgres.builder().nameHint("image-deadline")
                .commandTimeout(Duration.ofSeconds(3)).start()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> quick.migrations().migrateWith(RELEASE_1, "sh", "-c",
                    "echo waiting for the lock on orders; sleep 600"))
                    .isInstanceOf(MigrationFailedException.class)
                    .hasMessageStartingWith("Migrator image " + RELEASE_1 + " with command [sh, -c, echo waiting for the "
                            + "lock on orders; sleep 600] ran past the command deadline of 3 s and was killed (target "
                            + "latest, database test).")
                    .hasMessageContaining("Its last output lines:\n  waiting for the lock on orders\n")
                    .hasMessageContaining("Fix: raise stateful.command-timeout / STATEFUL_COMMAND_TIMEOUT");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(90));
        }
    }

    @Test
    void backUpMigrateVerifyAndRestoreOnFailureAsADeploymentWould() throws SQLException {
        db.migrations().migrateWith(RELEASE_1, "migrate");
        Sql.run(db, "INSERT INTO orders VALUES (1, 4200)");
        // tag::deploy-order[]
        db.snapshot("before-release");                                      // back up
        try {
            db.migrations().migrateWith(BROKEN, "migrate");                     // migrate
            fail("the broken release must fail");
        } catch (MigrationFailedException failed) {
            assertThat(Sql.number(db, "SELECT max(version) FROM schema_version")).isEqualTo(3); // verify: half a release
            db.restore("before-release");                                       // restore on failure
        }
        // end::deploy-order[]

        assertThat(Sql.number(db, "SELECT max(version) FROM schema_version")).isEqualTo(2);
        assertThat(Sql.number(db, "SELECT total_cents FROM orders WHERE id = 1")).isEqualTo(4200);
        db.migrations().migrateWith(RELEASE_2, "migrate");      // the fixed release goes on from there
        assertThat(Sql.number(db, "SELECT max(version) FROM schema_version")).isEqualTo(3);
    }

    @Test
    void aMigratorKeepsItsOwnHistorySoStatefulSaysItCannotListIt() {
        Migrations image = db.migrations().withSettings(MigrationSettings.defaults().withImage(RELEASE_1, "migrate"));

        assertThat(image.schemaVersion()).isEmpty();
        assertThatThrownBy(image::pendingMigrations).isInstanceOf(MigrationException.class)
                .hasMessage("Cannot list the pending migrations of migrator image " + RELEASE_1 + ": a migrator image "
                        + "keeps its own history, which Stateful cannot read. Fix: query the migrator's history table "
                        + "with SQL (for example alembic_version or schema_migrations).");
    }
}
