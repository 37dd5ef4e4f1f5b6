/**
 * Spring Boot tests on a {@code @WithVolume} database. Putting {@code stateful-spring} on the
 * test classpath is the whole setup: for a test class with {@link dev.stateful.junit.WithVolume}
 * (or nested in one), the application context's {@code DataSource} connects to the class's
 * database as Boot's {@code JdbcConnectionDetails}, Boot's pool follows the container across
 * resets, restarts, recreates and kills, the state the context creates while it starts is part
 * of the class's baseline, and the context is not shared with any other {@code @WithVolume}
 * class. Classes without {@code @WithVolume} are left alone. Registered through
 * {@code META-INF/spring.factories}; no type here is called by user code.
 */
package dev.stateful.spring;
