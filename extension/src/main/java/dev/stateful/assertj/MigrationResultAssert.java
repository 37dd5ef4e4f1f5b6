package dev.stateful.assertj;

import dev.stateful.migrate.Hazard;
import dev.stateful.migrate.HazardKind;
import dev.stateful.migrate.MigrationResult;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what a migration run did; get one from
 * {@link StatefulAssertions#assertThat(MigrationResult)}.
 *
 * <pre>{@code
 * assertThat(db.migrateTo("9")).hasNoHazards();
 * }</pre>
 */
public final class MigrationResultAssert extends AbstractAssert<MigrationResultAssert, MigrationResult> {
    MigrationResultAssert(MigrationResult actual) {
        super(actual, MigrationResultAssert.class);
    }

    /**
     * Verify that no migration of the run has a hazard. The failure lists every hazard, one a
     * line: migration, kind, table, rows, lock and time held, blocked reads and writes, evidence
     * and advice.
     *
     * @return this assertion
     * @throws AssertionError when a migration has a hazard
     */
    public MigrationResultAssert hasNoHazards() {
        isNotNull();
        List<Hazard> hazards = actual.hazards();
        if (!hazards.isEmpty()) {
            failWithMessage("%s", "Expected no migration hazards, but " + hazards.size() + " were found:\n"
                    + lines(hazards));
        }
        return this;
    }

    /**
     * Verify that a migration of the run has a hazard of a kind on a table.
     *
     * @param kind the kind
     * @param table {@code schema.table}
     * @return this assertion
     * @throws AssertionError when there is no such hazard; the failure lists those there are
     */
    public MigrationResultAssert hasHazard(HazardKind kind, String table) {
        isNotNull();
        if (actual.hazards().stream().noneMatch(h -> h.kind() == kind && h.table().equals(table))) {
            failWithMessage("%s", "Expected a " + kind + " hazard on " + table + ", but the hazards were:\n"
                    + (actual.hazards().isEmpty() ? "  (none)" : lines(actual.hazards())));
        }
        return this;
    }

    private static String lines(List<Hazard> hazards) {
        StringBuilder b = new StringBuilder();
        for (Hazard h : hazards) {
            b.append(b.length() == 0 ? "" : "\n").append("  - ").append(h);
        }
        return b.toString();
    }
}
