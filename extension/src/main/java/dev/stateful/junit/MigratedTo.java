package dev.stateful.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Migrate the {@link WithVolume @WithVolume} database to a target before the tests run: with
 * Flyway (the default, {@link #locations()}), a Liquibase changelog ({@link #changelog()}), or
 * the application's own migrator image ({@link #image()}).
 *
 * <p>On a class: once for the class, after the container (and any {@link RestoredFrom}) is
 * ready; the result is the baseline each test starts from and is kept in the cross-run state
 * cache. On a method: before that method, starting from the class's baseline; the result is
 * kept as a snapshot when several methods ask for the same state. This is how a test checks
 * one step:
 *
 * <pre>{@code
 * @WithVolume
 * class ProfileMigrationTest {
 *     @Test
 *     @MigratedTo("1")
 *     void v2AddsProfileWithADefault(StatefulPostgres db) throws Exception {
 *         insertUsers(db);
 *         db.migrateTo("2");
 *         assertThat(db).table("users").column("profile").hasNoNulls();
 *     }
 * }
 * }</pre>
 *
 * <p>Settings not given here come from the JUnit configuration parameters
 * {@code stateful.flyway.locations}, {@code stateful.flyway.schemas},
 * {@code stateful.flyway.placeholders} ({@code key=value,key=value}) and
 * {@code stateful.flyway.baseline-on-migrate}.
 *
 * <p>The settings of a method-level {@code @MigratedTo} also apply to the handle's own
 * {@code db.migrate()}, {@code db.migrateTo(v)}, {@code db.migrations().schemaVersion()} and
 * {@code db.migrations().pendingMigrations()} calls inside that method. A target version that the restored
 * database's own history holds (a production dump baselined at 1, or at 41) is valid without a
 * script of that version, and migrating to it is a no-op.
 *
 * <p>Liquibase ({@code liquibase-core} 4.x on the test classpath) and migrator images:
 *
 * <pre>{@code
 * @WithVolume
 * @MigratedTo(changelog = "classpath:db/changelog/db.changelog-master.yaml", value = "v2")  // up to tag v2
 * class StepTest { @Test void next(StatefulPostgres db) { db.migrateTo("v3"); } }
 *
 * @WithVolume
 * @MigratedTo(image = "acme/orders-migrator:1.4", command = {"alembic", "upgrade", "head"})
 * class DeployOrderTest { ... }
 * }</pre>
 *
 * <p>Give one source: {@code locations}, {@code changelog} or {@code image}; attributes of another
 * source ({@code contexts} without a changelog, {@code command} without an image, Flyway's
 * {@code schemas} with an image) are an error before anything starts, as are an unknown tag
 * (the message lists the changelog's tags) and a missing Liquibase. The cross-run cache key
 * covers the changelog and every file it includes, or the migrator image's id, command and env.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WithVolumeExtension.class)
public @interface MigratedTo {
    /**
     * Name the target version, such as {@code "3"} or {@code "2.1"}.
     *
     * @return the version, or {@code "latest"}
     */
    String value() default "latest";

    /**
     * Name Flyway locations. Default: {@code stateful.flyway.locations}, or {@code classpath:db/migration}.
     *
     * @return locations such as {@code classpath:db/migration} or {@code filesystem:sql}
     */
    String[] locations() default {};

    /**
     * Name the schemas Flyway manages. Default: {@code stateful.flyway.schemas}, or Flyway's default.
     *
     * @return schema names
     */
    String[] schemas() default {};

    /**
     * Give Flyway placeholders as {@code key=value} entries.
     *
     * @return placeholders
     */
    String[] placeholders() default {};

    /**
     * Baseline a database that has tables but no history table instead of failing.
     *
     * @return whether to baseline on migrate
     */
    boolean baselineOnMigrate() default false;

    /**
     * Name a Liquibase changelog (XML, YAML, JSON or formatted SQL) to migrate with instead of
     * Flyway; {@link #value()} is then a tag ({@code update-to-tag}) or {@code latest}.
     * Default: {@code stateful.liquibase.changelog}, or none (Flyway).
     *
     * @return such as {@code classpath:db/changelog/db.changelog-master.yaml} or
     *     {@code filesystem:src/main/resources/db/changelog/master.xml} (relative to the working directory)
     */
    String changelog() default "";

    /**
     * Give the Liquibase contexts expression; without one every changeset runs, whatever its
     * context. Default: {@code stateful.liquibase.contexts}.
     *
     * @return such as {@code "faker"} or {@code "!demo"}
     */
    String contexts() default "";

    /**
     * Give the Liquibase labels expression. Default: {@code stateful.liquibase.labels}.
     *
     * @return such as {@code "!slow"}
     */
    String labels() default "";

    /**
     * Name the application's migrator image, run as a one-off container on a private network
     * with the server, with {@code DATABASE_URL}, {@code JDBC_URL}, {@code PGHOST},
     * {@code PGPORT}, {@code PGUSER}, {@code PGPASSWORD}, {@code PGDATABASE} and
     * {@code STATEFUL_TARGET} (= {@link #value()}). Exit code 0 is success.
     *
     * @return such as {@code acme/orders-migrator:1.4}
     */
    String image() default "";

    /**
     * Give the migrator image's argv (its entrypoint stays; no shell is added).
     *
     * @return such as {@code {"alembic", "upgrade", "head"}}; none keeps the image's command
     */
    String[] command() default {};

    /**
     * Give the migrator image extra environment variables.
     *
     * @return {@code NAME=value} entries
     */
    String[] env() default {};

    /**
     * Fail the class (or method) before its tests run when a migration has a hazard: a table
     * rewrite, an index built under a lock that blocks writes, a validation scan under such a
     * lock, or reads blocked longer than {@code stateful.migrate.max-blocking} (default 1 s).
     * The message lists each hazard: migration, table, rows, lock, time held, blocked reads and
     * writes, and the safe alternative. Flyway migrations and Liquibase changesets are observed
     * (for a changelog, without validation scans); a migrator image is not (its run has no
     * steps, so no hazards).
     *
     * <p>With the default {@code false} the hazards are published as JUnit report entries
     * ({@code stateful.hazard.1}, ...). Both ways {@code migrations.json} and
     * {@code migrations.html} are written into {@code stateful.report-dir} (default
     * {@code target/stateful-reports}), under the test class's name (and the method's, for a
     * method). With {@code true}, a class-level migration bypasses the cross-run state cache, so
     * that it is observed on every run; with {@code false}, a cache hit runs no migration, and the
     * report entry says so.
     *
     * @return whether a hazard fails the class or method
     */
    boolean failOnHazard() default false;
}
