package dev.stateful.junit;

import dev.stateful.dump.RestoreOptions;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Restore a {@code pg_dump} file into the {@link WithVolume @WithVolume} database before the
 * tests run, then apply any {@link MigratedTo @MigratedTo}: the realistic-dump migration test.
 *
 * <pre>{@code
 * @WithVolume
 * @RestoredFrom("classpath:dumps/nightly.dump")
 * @MigratedTo("latest")
 * class NightlyDumpMigratesTest {
 *     @Test
 *     void everyUserIsStillThere(StatefulPostgres db) {
 *         assertThat(db).table("users").hasRowCount(250_000);
 *     }
 * }
 * }</pre>
 *
 * <p>The format (custom, directory, tar, plain SQL, gzipped SQL) is detected from the content.
 * The dump is streamed into the container and restored there with its own {@code pg_restore}
 * or {@code psql}: no client tools are needed on the host. On a class, the restored (and
 * migrated) state is kept in the cross-run state cache, keyed by the dump's bytes.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WithVolumeExtension.class)
public @interface RestoredFrom {
    /**
     * Name the dump: {@code classpath:…}, {@code file:…} or a path relative to the project.
     *
     * @return the dump's location
     */
    String value();

    /**
     * Set the parallel jobs of {@code pg_restore -j} (custom and directory formats).
     *
     * @return jobs, or 0 for the default (the engine's processors, at most 4)
     */
    int jobs() default 0;

    /**
     * Choose what happens to the owners and grantees the dump names (see
     * {@link RestoreOptions.Roles}): by default objects belong to the test's role and every
     * role the dump names exists afterwards.
     *
     * @return the role handling
     */
    RestoreOptions.Roles roles() default RestoreOptions.Roles.CREATE_MISSING;

    /**
     * Name a {@code pg_dumpall --globals-only} file whose roles and memberships are restored
     * first, found like {@link #value()}.
     *
     * @return the globals file, or empty for none
     */
    String globals() default "";

    /**
     * Name the database of a {@code pg_dumpall} file to restore, when it holds more than one.
     *
     * @return a database name from the file, or empty for its only user database
     */
    String clusterDatabase() default "";
}
