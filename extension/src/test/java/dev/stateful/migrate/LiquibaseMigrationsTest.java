package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.stateful.StatefulPostgres;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.MigrationException;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.junit.MigratedTo;
import dev.stateful.junit.WithVolume;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Liquibase changelogs against a real server through the same verbs as Flyway: one container for
 * the class, an empty database per test. The changelog (YAML with an sqlFile, an include, a
 * {@code faker} context, a {@code slow} label and tags v1 to v3) is in the test resources.
 */
@StartedHandles
class LiquibaseMigrationsTest {
    private static final String ORDERS = "classpath:stateful-test/liquibase/orders/master.yaml";
    private static final MigrationSettings LIQUIBASE = MigrationSettings.defaults().withChangelog(ORDERS);

    @Started(nameHint = "liquibase")
    private static StatefulPostgres db;

    @BeforeEach
    void emptyDatabase() throws SQLException {
        Sql.run(db, Sql.DROP_USER_SCHEMAS);
    }

    private static Migrations migrations(MigrationSettings settings) {
        return db.migrations().withSettings(settings);
    }

    @Test
    void latestRunsEveryChangesetInOrderAndWithoutContextsAlsoTheFakerOne() throws SQLException {
        MigrationResult result = migrations(LIQUIBASE).migrate();

        assertThat(result.from()).isEmpty();
        assertThat(result.to()).contains("v3");
        assertThat(result.applied()).extracting(Migration::version).containsExactly("1-orders", "tag-v1",
                "2-customers", "seed-faker", "tag-v2", "3-orders-by-customer", "tag-v3");
        assertThat(result.applied().get(6).script()).isEqualTo("stateful-test/liquibase/orders/more/003-index.yaml");
        assertThat(migrations(LIQUIBASE).schemaVersion()).contains("v3");
        assertThat(migrations(LIQUIBASE).pendingMigrations()).isEmpty();
        assertThat(Sql.column(db, "SELECT name FROM customers")).containsExactly("Fake Ada");
        assertThat(Sql.number(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_customer_idx'")).isEqualTo(1);
        assertThat(Sql.text(db, "SELECT filename FROM databasechangelog WHERE id = '1-orders'"))
                .isEqualTo("stateful-test/liquibase/orders/master.yaml");
    }

    @Test
    void toATagThenTheNextTagWithTheContextsInForce() throws SQLException {
        // tag::liquibase-settings[]
        MigrationSettings noFaker = MigrationSettings.defaults()
                .withChangelog("classpath:stateful-test/liquibase/orders/master.yaml")
                .withContexts("!faker");
        MigrationResult first = db.migrations().withSettings(noFaker).migrateTo("v1");
        // end::liquibase-settings[]

        assertThat(first.to()).contains("v1");
        assertThat(first.applied()).extracting(Migration::version).containsExactly("1-orders", "tag-v1");
        assertThat(Sql.tableExists(db, "customers")).isFalse();
        assertThat(migrations(noFaker).pendingMigrations()).extracting(Migration::version)
                .containsExactly("2-customers", "tag-v2", "3-orders-by-customer", "tag-v3");
        assertThat(migrations(LIQUIBASE).pendingMigrations()).extracting(Migration::version)
                .containsExactly("2-customers", "seed-faker", "tag-v2", "3-orders-by-customer", "tag-v3");
        assertThat(migrations(noFaker).pendingMigrations().get(0))
                .isEqualTo(new Migration("2-customers", "add customers", "stateful-test/liquibase/orders/master.yaml"));

        MigrationResult second = migrations(noFaker).migrateTo("v2");

        assertThat(second.from()).contains("v1");
        assertThat(second.to()).contains("v2");
        assertThat(second.applied()).extracting(Migration::version).containsExactly("2-customers", "tag-v2");
        assertThat(Sql.count(db, "customers")).isZero();
        assertThat(migrations(noFaker).schemaVersion()).contains("v2");

        MigrationResult again = migrations(noFaker).migrateTo("v2");
        assertThat(again.applied()).isEmpty();
        assertThat(again.to()).contains("v2");
    }

    @Test
    void aTagBelowTheCurrentStateIsAnErrorNotLiquibasesSilentNoOp() {
        migrations(LIQUIBASE).migrateTo("v2");

        assertThatThrownBy(() -> migrations(LIQUIBASE).migrateTo("v1"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("v1").hasMessageContaining("v2");
        assertThat(migrations(LIQUIBASE).schemaVersion()).contains("v2");
    }

    @Test
    void anUnknownTagFailsBeforeAnythingRunsListingTheChangelogsTags() throws SQLException {
        assertThatThrownBy(() -> migrations(LIQUIBASE).migrateTo("V2"))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Liquibase tag 'V2' is not in changelog '" + ORDERS + "'; its tags are [v1, v2, v3]. "
                        + "Fix: use one of these tags (they are case-sensitive), or 'latest'.");
        assertThat(Sql.tableExists(db, "databasechangelog")).isFalse();
        assertThat(Changelogs.tags(LIQUIBASE)).containsExactly("v1", "v2", "v3");
    }

    @Test
    void labelsLeaveOutTheChangesetsTheyExclude() throws SQLException {
        MigrationSettings notSlow = LIQUIBASE.withLabels("!slow");

        MigrationResult result = migrations(notSlow).migrate();

        assertThat(result.applied()).extracting(Migration::version).doesNotContain("3-orders-by-customer")
                .contains("tag-v3");
        assertThat(Sql.number(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_customer_idx'")).isEqualTo(0);
        assertThat(migrations(LIQUIBASE).pendingMigrations()).extracting(Migration::version)
                .containsExactly("3-orders-by-customer");
    }

    @Test
    void aFailingChangesetInATransactionNamesItAndLeavesNothingOfIt() throws SQLException {
        MigrationSettings failing = MigrationSettings.defaults()
                .withChangelog("classpath:stateful-test/liquibase/fail-tx.yaml");

        assertThatThrownBy(() -> migrations(failing).migrate())
                .isInstanceOf(ObservedMigrationFailedException.class)
                .isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                    assertThat(e.version()).contains("boom");
                    assertThat(e.script()).isEqualTo("stateful-test/liquibase/fail-tx.yaml");
                    assertThat(e.sqlState()).contains("42P01");
                    assertThat(e.postgresMessage()).isEqualTo("relation \"missing\" does not exist");
                    assertThat(e.halfApplied()).isFalse();
                    assertThat(e.getMessage()).startsWith("Liquibase changeset 'boom' by stateful in "
                            + "stateful-test/liquibase/fail-tx.yaml failed on database 'test': relation \"missing\" "
                            + "does not exist [SQLState 42P01]. Statement: INSERT INTO missing VALUES (1). It ran in a "
                            + "transaction, which was rolled back: nothing of it is applied. Earlier changesets stay "
                            + "applied: the database is at ok.");
                    // The observed steps of the run: the changeset applied, then the failed one.
                    assertThat(((ObservedMigrationFailedException) e).steps())
                            .extracting(step -> step.migration().version() + ":" + step.failed())
                            .containsExactly("ok:false", "boom:true");
                    assertThat(((ObservedMigrationFailedException) e).result().applied())
                            .extracting(Migration::version).containsExactly("ok");
                    assertThat(((ObservedMigrationFailedException) e).result().to()).contains("ok");
                });
        assertThat(Sql.tableExists(db, "half")).isFalse();
        assertThat(Sql.tableExists(db, "ok_table")).isTrue();
        assertThat(migrations(failing).schemaVersion()).contains("ok");
        assertThat(migrations(failing).pendingMigrations()).extracting(Migration::version).containsExactly("boom");
    }

    @Test
    void aFailingChangesetOutsideATransactionSaysItIsHalfApplied() throws SQLException {
        MigrationSettings failing = MigrationSettings.defaults()
                .withChangelog("classpath:stateful-test/liquibase/fail-notx.yaml");

        assertThatThrownBy(() -> migrations(failing).migrate())
                .isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                    assertThat(e.version()).contains("boom-notx");
                    assertThat(e.halfApplied()).isTrue();
                    assertThat(e.getMessage()).contains("It ran outside a transaction (runInTransaction: false): the "
                            + "statements before the failing one stay applied, and Liquibase did not record the "
                            + "changeset, so the next update runs it again from its first statement.");
                });
        assertThat(Sql.tableExists(db, "half")).isTrue();
    }

    @Test
    void aJsonChangelogIncludingFormattedSqlRunsToItsTagAndOn() throws SQLException {
        MigrationSettings formats = MigrationSettings.defaults()
                .withChangelog("stateful-test/liquibase/formats/master.json").withContexts("!demo");

        MigrationResult first = migrations(formats).migrateTo("json-1");
        MigrationResult rest = migrations(formats).migrate();

        assertThat(first.applied()).extracting(Migration::version).containsExactly("sql-1", "tag-json-1");
        assertThat(first.applied().get(0).script()).isEqualTo("stateful-test/liquibase/formats/001-formatted.sql");
        assertThat(rest.applied()).extracting(Migration::version).containsExactly("json-2");
        assertThat(rest.to()).contains("json-1");
        assertThat(Sql.column(db, "SELECT body FROM notes ORDER BY id")).containsExactly("from JSON");
    }

    @Test
    void aMissingChangelogAndRepairAreClearErrors() {
        MigrationSettings missing = MigrationSettings.defaults().withChangelog("classpath:db/changelog/nope.yaml");

        assertThatThrownBy(() -> migrations(missing).migrate())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("changelog 'classpath:db/changelog/nope.yaml' not found on the classpath; expected a "
                        + "Liquibase changelog (XML, YAML, JSON or formatted SQL) at db/changelog/nope.yaml. Fix: put "
                        + "it under src/test/resources or src/main/resources, or use 'filesystem:' for a file outside "
                        + "them.");
        assertThatThrownBy(() -> migrations(LIQUIBASE).repair()).isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("repair() is Flyway's; these migrations use Liquibase changelog '" + ORDERS);
    }

    @Test
    void theHandlesOwnVerbsFollowItsLiquibaseSettings() {
        MigrationSettings previous = db.migrations().use(LIQUIBASE.withContexts("!faker"));
        try {
            assertThat(db.migrateTo("v1").to()).contains("v1");
            assertThat(db.migrations().schemaVersion()).contains("v1");
            assertThat(db.migrations().pendingMigrations()).extracting(Migration::version).first().isEqualTo("2-customers");
            assertThat(db.migrate().to()).contains("v3");
            assertThat(db.migrations().pendingMigrations()).isEmpty();
        } finally {
            db.migrations().use(previous);
        }
    }

    @Test
    void theContextsConfigurationParameterChoosesTheChangesetsOfAMigratedToClass() {
        CustomersAtV2.seen.clear();

        EngineExecutionResults everyContext = runCustomersAtV2(Map.of());
        EngineExecutionResults noFaker = runCustomersAtV2(Map.of("stateful.liquibase.contexts", "!faker"));

        everyContext.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        noFaker.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(CustomersAtV2.seen).containsExactly("Fake Ada", "");
    }

    private static EngineExecutionResults runCustomersAtV2(Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(configuration)
                .selectors(selectClass(CustomersAtV2.class)).execute();
    }

    /** Run only through the engine test kit: migrated with the changelog to v2, under the run's contexts. */
    @WithVolume
    @MigratedTo(changelog = ORDERS, value = "v2")
    static class CustomersAtV2 {
        static final List<String> seen = new CopyOnWriteArrayList<>();

        @Test
        void recordTheCustomers(StatefulPostgres db) throws SQLException {
            seen.add(String.join(",", Sql.column(db, "SELECT name FROM customers ORDER BY id")));
        }
    }
}
