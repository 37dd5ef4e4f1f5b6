package dev.stateful;

/** SQL that engine-backed tests use to start each test from an empty database. */
public final class DbReset {
    /** Drop every user schema with its contents, then create an empty {@code public} schema. */
    public static final String DROP_USER_SCHEMAS = """
            DO $$
            DECLARE s text;
            BEGIN
              FOR s IN SELECT nspname FROM pg_catalog.pg_namespace
                       WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
              LOOP
                EXECUTE format('DROP SCHEMA %I CASCADE', s);
              END LOOP;
              CREATE SCHEMA public;
            END $$""";

    private DbReset() {
    }
}
