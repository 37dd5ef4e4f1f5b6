package dev.stateful.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Start the class's {@link Started} fields before all its tests and close them after all: the
 * start and close that tests built on {@link dev.stateful.StatefulPostgres#builder()} share. The
 * class is tagged {@code docker}, as every test that needs an engine is.
 *
 * <pre>{@code
 * @StartedHandles
 * class DumpsTest {
 *     @Started(nameHint = "dumps")
 *     private static StatefulPostgres db;
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("docker")
@ExtendWith(StartedHandlesExtension.class)
public @interface StartedHandles {
}
