package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import dev.stateful.StatefulPostgres;
import dev.stateful.error.MigrationFailedException;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.pg.DumpCommands;
import dev.stateful.internal.pg.PgCommands;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each migration really does, observed on pgbench data at scale 5 (500,000 accounts, 64 MB):
 * every hazard kind on a migration that has it, every safe pattern clean, and blocked reads and
 * writes as Postgres' lock conflict table says. One container; each test starts from a snapshot
 * of the freshly initialised pgbench tables.
 */
@StartedHandles
class MigrationSafetyTest {
    private static final String BASE = "classpath:stateful-test/migrations/safety/";
    private static final String ACCOUNTS = "public.pgbench_accounts";
    private static final String BRANCHES = "public.pgbench_branches";

    @Started(nameHint = "migration-safety")
    private static StatefulPostgres db;

    @BeforeAll
    static void pgbench() {
        ExecResult init = DockerEngine.get().exec(db.containerId(), PgCommands.OS_USER,
                DumpCommands.pgbenchInit(db.username(), db.database(), 5));
        assertThat(init.succeeded()).as(init.stderrTail(20)).isTrue();
        db.snapshot("pgbench");
    }

    @BeforeEach
    void freshPgbench() {
        db.restore("pgbench");
    }

    private static MigrationResult migrate(String set) {
        return migrations(set).migrate();
    }

    private static Migrations migrations(String set) {
        return db.migrations().withSettings(MigrationSettings.defaults().withLocations(BASE + set)
                // pgbench's tables are there before any migration: a baseline below V1.
                .withBaselineOnMigrate(true).withBaselineVersion("0"));
    }

    private static List<HazardKind> kinds(MigrationResult result) {
        return result.hazards().stream().map(Hazard::kind).toList();
    }

    @Test
    void aVolatileDefaultRewritesTheTableUnderAccessExclusive() {
        MigrationResult result = migrate("rewrite");

        MigrationStep step = result.steps().get(0);
        assertThat(step.migration().script()).isEqualTo("V1__add_random_default.sql");
        assertThat(step.rewrittenTables()).containsExactly(ACCOUNTS);
        assertThat(step.locks()).containsEntry(ACCOUNTS, LockMode.ACCESS_EXCLUSIVE);
        assertThat(step.readsBlocked(ACCOUNTS)).isPositive();
        assertThat(step.writesBlocked("pgbench_accounts")).isPositive();
        assertThat(step.serverMessages()).contains("rewriting table \"pgbench_accounts\"");
        Hazard rewrite = result.hazards().stream().filter(h -> h.kind() == HazardKind.TABLE_REWRITE).findFirst()
                .orElseThrow();
        assertThat(rewrite.table()).isEqualTo(ACCOUNTS);
        assertThat(rewrite.rows()).isEqualTo(500_000);
        assertThat(rewrite.lock()).isEqualTo(LockMode.ACCESS_EXCLUSIVE);
        assertThat(rewrite.held()).isPositive();
        assertThat(rewrite.migration()).isEqualTo(step.migration());
        assertThat(rewrite.advice()).startsWith("add the column without a default");
        assertThat(rewrite.toString()).startsWith("V1 add random default (V1__add_random_default.sql): TABLE_REWRITE on "
                + "public.pgbench_accounts (500000 rows): ACCESS EXCLUSIVE held ");
    }

    @Test
    void createIndexBlocksWritesButNotReads() {
        MigrationResult result = migrate("index");

        MigrationStep step = result.steps().get(0);
        assertThat(step.locks()).containsEntry(ACCOUNTS, LockMode.SHARE);
        assertThat(step.readsBlocked(ACCOUNTS)).isZero();
        assertThat(step.writesBlocked(ACCOUNTS)).isPositive();
        assertThat(step.rewrittenTables()).isEmpty();
        assertThat(step.indexesBuilt()).containsExactly("public.accounts_bid_idx on " + ACCOUNTS);
        assertThat(kinds(result)).containsExactly(HazardKind.BLOCKING_INDEX_BUILD);
        // The timeline says when: SHARE held, writes blocked within it (the longest stretch is writesBlocked), reads never.
        List<TimelineSpan> share = step.timeline().stream().filter(t -> t.kind() == TimelineSpan.Kind.LOCK_HELD
                && t.lock() == LockMode.SHARE).toList();
        List<TimelineSpan> writes = step.timeline().stream().filter(t -> t.kind() == TimelineSpan.Kind.WRITES_BLOCKED)
                .toList();
        assertThat(share).isNotEmpty().allMatch(t -> t.table().equals(ACCOUNTS));
        assertThat(step.timeline()).noneMatch(t -> t.kind() == TimelineSpan.Kind.READS_BLOCKED);
        assertThat(writes.stream().map(TimelineSpan::duration).max(Duration::compareTo)).contains(
                step.writesBlocked(ACCOUNTS));
        assertThat(writes).allMatch(w -> w.start().compareTo(share.get(0).start()) >= 0);
        assertThat(result.hazards().get(0).advice())
                .isEqualTo("CREATE INDEX CONCURRENTLY in a migration of its own, outside a transaction");
    }

    @Test
    void setNotNullScansTheTableUnderAnExclusiveLock() {
        MigrationResult result = migrate("not-null");

        MigrationStep step = result.steps().get(0);
        assertThat(step.locks()).containsEntry(ACCOUNTS, LockMode.ACCESS_EXCLUSIVE);
        assertThat(step.readsBlocked(ACCOUNTS)).isPositive();
        assertThat(step.writesBlocked(ACCOUNTS)).isPositive();
        assertThat(kinds(result)).contains(HazardKind.SCAN_UNDER_EXCLUSIVE_LOCK);
        Hazard scan = result.hazards().get(0);
        assertThat(scan.table()).isEqualTo(ACCOUNTS);
        assertThat(scan.evidence()).contains("verifying table \"pgbench_accounts\"");
        assertThat(scan.advice()).startsWith("ADD CONSTRAINT ... CHECK (column IS NOT NULL) NOT VALID");
    }

    @Test
    void aForeignKeyValidatedAtOnceBlocksWritesOfBothTablesNotReads() {
        MigrationResult result = migrate("foreign-key");

        MigrationStep step = result.steps().get(0);
        assertThat(step.locks()).containsEntry(ACCOUNTS, LockMode.SHARE_ROW_EXCLUSIVE)
                .containsEntry(BRANCHES, LockMode.SHARE_ROW_EXCLUSIVE);
        assertThat(step.readsBlocked(ACCOUNTS)).isZero();
        assertThat(step.readsBlocked(BRANCHES)).isZero();
        assertThat(step.writesBlocked(ACCOUNTS)).isPositive();
        assertThat(step.writesBlocked(BRANCHES)).isPositive();
        assertThat(step.serverMessages()).contains("validating foreign key constraint \"accounts_branch_fk\"");
        assertThat(result.hazards()).extracting(Hazard::kind, Hazard::table).containsExactly(
                org.assertj.core.api.Assertions.tuple(HazardKind.SCAN_UNDER_EXCLUSIVE_LOCK, ACCOUNTS));
        assertThat(result.hazards().get(0).advice())
                .isEqualTo("ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a migration of its own");
    }

    @Test
    void aNonTransactionalMigrationFailingHalfwayIsObservedToo() {
        assertThatThrownBy(() -> migrate("concurrently-failing"))
                .isInstanceOf(MigrationFailedException.class)
                .hasMessageContaining("Observed until it failed: V1 unique branch per account "
                        + "(V1__unique_branch_per_account.sql) failed after ")
                .hasMessageContaining("(outside a transaction); public.pgbench_accounts: SHARE UPDATE EXCLUSIVE held ")
                .hasMessageContaining("reads blocked 0 ms, writes blocked 0 ms");
    }

    @Test
    void aSmallTableLockedWhileABackfillRunsIsALongExclusiveLock() {
        MigrationResult result = migrations("long-lock")
                .withObservation(SafetyObservation.defaults().withMaxBlocking(Duration.ofMillis(200))).migrate();

        MigrationStep step = result.steps().get(0);
        assertThat(step.locks()).containsEntry(BRANCHES, LockMode.ACCESS_EXCLUSIVE)
                .containsEntry(ACCOUNTS, LockMode.ROW_EXCLUSIVE);
        assertThat(step.readsBlocked(BRANCHES)).isGreaterThan(Duration.ofMillis(200));
        // ROW EXCLUSIVE (the UPDATE) conflicts with neither a read nor another writer's table lock.
        assertThat(step.readsBlocked(ACCOUNTS)).isZero();
        assertThat(step.writesBlocked(ACCOUNTS)).isZero();
        assertThat(result.hazards()).extracting(Hazard::kind, Hazard::table)
                .containsExactly(org.assertj.core.api.Assertions.tuple(HazardKind.LONG_EXCLUSIVE_LOCK, BRANCHES));
        assertThat(result.hazards().get(0).rows()).isEqualTo(5);
    }

    @Test
    void createIndexConcurrentlyOutsideATransactionIsClean() {
        MigrationResult result = migrate("concurrently");

        MigrationStep step = result.steps().get(0);
        assertThat(step.transactional()).isFalse();
        assertThat(step.locks()).containsEntry(ACCOUNTS, LockMode.SHARE_UPDATE_EXCLUSIVE);
        assertThat(step.readsBlocked(ACCOUNTS)).isZero();
        assertThat(step.writesBlocked(ACCOUNTS)).isZero();
        assertThat(step.indexesBuilt()).containsExactly("public.accounts_bid_cic on " + ACCOUNTS);
        assertThat(result.hazards()).isEmpty();
    }

    @Test
    void notValidThenValidateThenSetNotNullIsClean() {
        MigrationResult result = migrate("not-valid");

        assertThat(result.steps()).extracting(s -> s.migration().version()).containsExactly("1", "2", "3");
        MigrationStep validate = result.steps().get(1);
        assertThat(validate.locks()).containsEntry(ACCOUNTS, LockMode.SHARE_UPDATE_EXCLUSIVE);
        assertThat(validate.readsBlocked(ACCOUNTS)).isZero();
        assertThat(validate.writesBlocked(ACCOUNTS)).isZero();
        assertThat(validate.serverMessages()).contains("verifying table \"pgbench_accounts\"");
        assertThat(result.steps().get(2).serverMessages()).anyMatch(m -> m.startsWith("existing constraints on column"));
        assertThat(result.hazards()).isEmpty();
    }

    @Test
    void addingColumnsWithoutADefaultOrWithAConstantOneIsClean() {
        MigrationResult result = migrate("add-column");

        MigrationStep step = result.steps().get(0);
        assertThat(step.locks()).containsEntry(ACCOUNTS, LockMode.ACCESS_EXCLUSIVE);
        assertThat(step.rewrittenTables()).isEmpty();
        assertThat(result.hazards()).isEmpty();
    }

    @Test
    void repeatableMigrationsAreObservedToo() {
        MigrationResult result = migrate("repeatable");

        assertThat(result.steps()).extracting(s -> s.migration().script())
                .containsExactly("V1__add_note.sql", "R__branch_totals.sql");
        MigrationStep view = result.steps().get(1);
        assertThat(view.migration().repeatable()).isTrue();
        assertThat(view.locks()).containsEntry(ACCOUNTS, LockMode.ACCESS_SHARE);
        assertThat(result.hazards()).isEmpty();
    }

    @Test
    void aMigrationFailingHalfwayCarriesItsObservationInTheFailure() throws SQLException {
        Throwable thrown = catchThrowable(() -> migrate("failing"));

        assertThat(thrown).isInstanceOf(MigrationFailedException.class).isInstanceOf(ObservedMigrationFailedException.class)
                .hasMessageContaining("division by zero")
                .hasMessageContaining("Observed until it failed: V2 index then fail (V2__index_then_fail.sql) failed "
                        + "after ")
                .hasMessageContaining("public.pgbench_accounts: SHARE held ")
                .hasMessageContaining("reads blocked 0 ms")
                .hasMessageContaining("\n  - V2 index then fail (V2__index_then_fail.sql): BLOCKING_INDEX_BUILD on "
                        + "public.pgbench_accounts (500000 rows): SHARE held ");
        ObservedMigrationFailedException failure = (ObservedMigrationFailedException) thrown;
        // The step applied before the failure, then the failed one, in order.
        assertThat(failure.steps()).extracting(s -> s.migration().script(), MigrationStep::failed)
                .containsExactly(tuple("V1__add_note.sql", false), tuple("V2__index_then_fail.sql", true));
        MigrationStep note = failure.steps().get(0);
        assertThat(note.locks()).containsEntry(ACCOUNTS, LockMode.ACCESS_EXCLUSIVE);
        assertThat(note.rewrittenTables()).isEmpty();
        MigrationStep failed = failure.steps().get(1);
        assertThat(failed.locks()).containsEntry(ACCOUNTS, LockMode.SHARE);
        assertThat(failed.writesBlocked(ACCOUNTS)).isPositive();
        assertThat(failure.result().hazards()).extracting(Hazard::kind).containsExactly(HazardKind.BLOCKING_INDEX_BUILD);
        assertThat(failure.result().applied()).extracting(Migration::script).containsExactly("V1__add_note.sql");
        assertThat(failure.result().to()).contains("1");
        // V1 stays applied; V2 ran in a transaction that was rolled back.
        assertThat(Sql.number(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                + "'pgbench_accounts' AND column_name = 'note'")).isEqualTo(1);
        assertThat(Sql.text(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_abalance_idx'"))
                .isEqualTo("0");
    }

    @Test
    void liquibaseChangesetsAreObservedOneStepEach() {
        MigrationResult result = db.migrations().withSettings(MigrationSettings.defaults()
                .withChangelog("classpath:stateful-test/liquibase/safety.yaml")).migrate();

        assertThat(result.steps()).hasSize(3);
        MigrationStep index = result.steps().get(0);
        assertThat(index.locks()).containsEntry(ACCOUNTS, LockMode.SHARE);
        assertThat(index.readsBlocked(ACCOUNTS)).isZero();
        assertThat(index.writesBlocked(ACCOUNTS)).isPositive();
        assertThat(index.hazards()).extracting(Hazard::kind).containsExactly(HazardKind.BLOCKING_INDEX_BUILD);
        MigrationStep concurrently = result.steps().get(1);
        assertThat(concurrently.locks()).containsEntry(ACCOUNTS, LockMode.SHARE_UPDATE_EXCLUSIVE);
        assertThat(concurrently.hazards()).isEmpty();
        MigrationStep retype = result.steps().get(2);
        assertThat(retype.rewrittenTables()).containsExactly(ACCOUNTS);
        assertThat(retype.hazards()).extracting(Hazard::kind).contains(HazardKind.TABLE_REWRITE);
    }

    @Test
    void observingChangesNothingTheMigrationsDo() throws SQLException {
        MigrationResult observed = migrate("not-valid");
        String schemaObserved = schema();
        db.restore("pgbench");
        MigrationResult plain = migrations("not-valid").withObservation(SafetyObservation.off()).migrate();

        assertThat(plain.steps()).isEmpty();
        assertThat(plain.applied()).isEqualTo(observed.applied());
        assertThat(schema()).isEqualTo(schemaObserved);
    }

    private static String schema() throws SQLException {
        return Sql.text(db, "SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint "
                + "WHERE conrelid = 'pgbench_accounts'::regclass") + "|"
                + Sql.text(db, "SELECT string_agg(attname || ':' || attnotnull, ',' ORDER BY attnum) FROM pg_attribute "
                + "WHERE attrelid = 'pgbench_accounts'::regclass AND attnum > 0") + "|"
                + Sql.text(db, "SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank) "
                + "FROM flyway_schema_history WHERE version <> '0'");
    }
}
