package dev.stateful.junit;

/**
 * Choose how the state of a class-level {@link WithVolume @WithVolume} database is reset
 * between tests.
 */
public enum Reset {
    /**
     * Take a baseline snapshot before the first test (after the container is ready and the
     * class's {@code @BeforeAll} methods ran) and restore it before each later test. The restore
     * is skipped when no write transaction ran since the last one, which is cheap to know.
     * Sessions connected to the database are terminated by a restore: open connections per test.
     * With stateful-spring, the baseline is taken after the Spring context started, so what the
     * context created (Boot's Flyway or Liquibase, {@code schema.sql}, an
     * {@code ApplicationRunner}) is part of it, and Boot's pool reconnects by itself.
     */
    BEFORE_EACH,
    /** Keep the state from test to test: for ordered scenario tests. */
    NONE
}
