package dev.stateful.assertj;

import dev.stateful.StatefulPostgres;
import dev.stateful.migrate.MigrationResult;
import dev.stateful.stack.StatefulStack;

/**
 * Entry point of Stateful's AssertJ assertions on a {@link StatefulPostgres}.
 *
 * <pre>{@code
 * import static dev.stateful.assertj.StatefulAssertions.assertThat;
 *
 * assertThat(db).survives(db::recreate);
 * assertThat(db).table("orders").hasRowCount(3);
 * }</pre>
 *
 * <p>It can be statically imported next to {@code org.assertj.core.api.Assertions.assertThat}:
 * Java picks this overload for a {@link StatefulPostgres}.
 */
public final class StatefulAssertions {
    private StatefulAssertions() {
    }

    /**
     * Start assertions on the database a handle runs.
     *
     * @param db the handle
     * @return the assertions
     */
    public static StatefulPostgresAssert assertThat(StatefulPostgres db) {
        return new StatefulPostgresAssert(db);
    }

    /**
     * Start assertions on what a migration run did, such as {@code hasNoHazards()}.
     *
     * @param result the result of {@code db.migrate()} or {@code db.migrateTo(v)}
     * @return the assertions
     */
    public static MigrationResultAssert assertThat(MigrationResult result) {
        return new MigrationResultAssert(result);
    }

    /**
     * Start assertions on every store of a stack, such as {@code survives(...)} and {@code losesDataOn(...)}.
     *
     * @param stack the stack
     * @return the assertions
     */
    public static StatefulStackAssert assertThat(StatefulStack stack) {
        return new StatefulStackAssert(stack);
    }
}
