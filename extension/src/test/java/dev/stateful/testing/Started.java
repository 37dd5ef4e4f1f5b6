package dev.stateful.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Mark a {@code static} {@link dev.stateful.StatefulPostgres} field of a {@link StartedHandles}
 * class: a handle is started into it before all tests of the class (before the class's own
 * {@code @BeforeAll} methods) and closed after all (after its {@code @AfterAll} methods), with a
 * generated volume that the close removes.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Started {
    /**
     * Name the volume and container after this hint. Default: the test class's simple name.
     *
     * @return a name hint, or empty for the class's name
     */
    String nameHint() default "";

    /**
     * Name the image. Default: the run's image ({@code stateful.image}, {@code STATEFUL_IMAGE}).
     *
     * @return an image reference, or empty for the run's image
     */
    String image() default "";
}
