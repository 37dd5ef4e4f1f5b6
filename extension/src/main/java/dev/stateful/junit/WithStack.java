package dev.stateful.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Run the application's compose file for a test class: its services on named volumes of the
 * class's own (renamed per class like {@code @WithVolume} names, labelled, removed after the class),
 * up and ready before the first test. A test or constructor takes a
 * {@link dev.stateful.stack.StatefulStack} parameter.
 *
 * <pre>{@code
 * @WithStack(compose = "src/test/resources/shop/docker-compose.yml")
 * class ShopTest {
 *     @Test
 *     void ordersSurviveDownAndUp(StatefulStack shop) {
 *         assertThat(shop).survives(() -> { shop.down(); shop.up(); });
 *     }
 * }
 * }</pre>
 *
 * <p>With {@link Reset#BEFORE_EACH} (the default) every test starts from the class baseline, the
 * state before the first test (after {@code @BeforeAll}), for every store: Postgres from a template
 * snapshot (or a dump after {@code downWithVolumes()}), Redis from a DUMP of every key, other named volumes from a copy of their files.
 *
 * <p>Carries the JUnit tag {@code docker}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WithStackExtension.class)
@Tag("docker")
public @interface WithStack {
    /**
     * The compose file: a path relative to the working directory (the module's folder under Maven), or
     * {@code classpath:} and a resource name. Bind mounts and {@code .env} resolve against its folder.
     *
     * @return the compose file
     */
    String compose();

    /**
     * Run only these services and what they depend on. Default: every service.
     *
     * @return service names of the compose file
     */
    String[] services() default {};

    /**
     * How the stores are reset between tests. Default: every test starts from the class baseline.
     *
     * @return the reset mode
     */
    Reset reset() default Reset.BEFORE_EACH;
}
