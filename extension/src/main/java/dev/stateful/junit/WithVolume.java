package dev.stateful.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Run a Postgres container on a named Docker volume for a test class or a test method, and
 * inject its {@link dev.stateful.StatefulPostgres} handle, a {@link javax.sql.DataSource}, or a
 * {@link dev.stateful.drill.RestoreDrill} of the handle (its report is published with JUnit's report entries
 * after the test).
 *
 * <p>On a class, one database serves the whole class (and its {@code @Nested} classes); it is
 * created before all tests and removed after all. By default ({@code stateful.server=shared}) it
 * is a database of its own on a Postgres server shared by the run; the class gets a container and
 * volume of its own with {@link #ownServer()}, a {@link #name()}, {@code durable}, an
 * {@link #image()}, {@link #database()} or {@link #username()}, or when its code calls an
 * operation on the whole server (see {@link #ownServer()}). On a method, the method gets a
 * server of its own. The annotation also works as a meta-annotation.
 *
 * <pre>{@code
 * @WithVolume
 * class OrderRepositoryTest {
 *     @Test
 *     void ordersSurviveARestart(StatefulPostgres db) throws Exception {
 *         try (Connection c = db.connection()) {
 *             c.createStatement().execute("CREATE TABLE orders (id int)");
 *         }
 *         assertThat(db).survives(db::restart);
 *     }
 * }
 * }</pre>
 *
 * <p>An explicit {@link #name()} is used as is: when the volume exists, its data is used, which
 * is how a test checks what an earlier run left. Settings not given here come from the JUnit
 * configuration parameters {@code stateful.image}, {@code stateful.database},
 * {@code stateful.username}, {@code stateful.startup-timeout}, then from the environment
 * variables {@code STATEFUL_IMAGE}, {@code STATEFUL_DATABASE}, {@code STATEFUL_USERNAME},
 * {@code STATEFUL_STARTUP_TIMEOUT}, then from the defaults.
 *
 * <p>Safe in parallel runs ({@code junit.jupiter.execution.parallel.enabled}): the annotation
 * declares JUnit resource locks, so classes or methods naming the same explicit volume run one
 * after the other, and the test methods sharing a class-level container run one at a time (a
 * reset never ends another test's session), while methods with a {@code @WithVolume} of their
 * own run in parallel. A container of another process already running on an explicit volume
 * fails the start, naming that container and its owner.
 *
 * <p>Carries the JUnit tag {@code docker}, which JUnit inherits through this annotation (and
 * any annotation of yours that it meta-annotates), so users exclude their container tests the
 * same way Stateful's own build does: {@code mvn test -DexcludedGroups=docker}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WithVolumeExtension.class)
// value: JUnit 5.10 and 5.11 require it and ignore providers (a 5.12 API); a shared read lock holds nothing back.
@ResourceLock(value = VolumeLocks.STATEFUL, mode = ResourceAccessMode.READ, providers = VolumeLocks.class)
@Tag("docker")
public @interface WithVolume {
    /**
     * Name the volume. Default: generated, unique per run ({@code stateful-<TestClass>-<random>}).
     *
     * @return a Docker volume name, or empty for a generated one
     */
    String name() default "";

    /**
     * Name the image. Default: {@code stateful.image}, {@code STATEFUL_IMAGE}, or {@code postgres:17}.
     *
     * @return an image reference, or empty for the default
     */
    String image() default "";

    /**
     * Name the database ({@code POSTGRES_DB}; applies on an empty volume only). Default {@code test}.
     *
     * @return a database name, or empty for the default
     */
    String database() default "";

    /**
     * Name the role ({@code POSTGRES_USER}; applies on an empty volume only). Default {@code test}.
     *
     * @return a role name, or empty for the default
     */
    String username() default "";

    /**
     * Keep Postgres' durability settings ({@code true}, for crash tests) or turn off fsync,
     * synchronous commit and full page writes for speed ({@code false}, the default).
     *
     * @return whether commits must survive a crash
     */
    boolean durable() default false;

    /**
     * Give the class a Postgres server (container and volume) of its own instead of a database
     * on the server the run shares. Needed when the class stops, restarts, kills, recreates or
     * upgrades the server, removes its volume, takes volume snapshots or backups, or runs a
     * {@link dev.stateful.drill.RestoreDrill} on it: Stateful sees such calls in the class's own
     * code (its nested, inner and anonymous classes, lambdas and superclasses) and gives it a
     * server of its own without this; a call made in a helper class elsewhere fails on a shared
     * server with a message naming the operation and this attribute. A method-level
     * {@code @WithVolume} always has a server of its own. {@code stateful.server=own} does the
     * same for every class of the run.
     *
     * @return whether the class needs a server of its own
     */
    boolean ownServer() default false;

    /**
     * Choose how a class-level database is reset between tests: {@link Reset#BEFORE_EACH}
     * restores a baseline snapshot before each test, {@link Reset#NONE} keeps state. Ignored on
     * a method, whose container serves one test. With {@code BEFORE_EACH}, a test may remove the
     * volume, recreate the container with another image, restore another volume or backup, kill
     * the server or drop the baseline: the next test starts from the class's prepared state
     * again, rebuilt (empty volume, {@code @RestoredFrom}, {@code @MigratedTo}, from the state
     * cache when its key matches) with a new baseline.
     *
     * @return the reset mode
     */
    Reset reset() default Reset.BEFORE_EACH;

    /**
     * Choose when the volume is removed at the end of the scope.
     *
     * @return the cleanup mode
     */
    CleanupMode cleanup() default CleanupMode.DEFAULT;
}
