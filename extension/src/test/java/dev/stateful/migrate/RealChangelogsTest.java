package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.StatefulPostgres;
import dev.stateful.error.MigrationException;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real public Liquibase changelogs (read in place, see {@link RealChangelogs}) applied to a real
 * server as their applications apply them. The JHipster sample app's: XML includes from the
 * classpath root, dbms-conditioned properties, loadData CSVs, contexts {@code faker} and
 * {@code test}, no tags. Operaton's (the Camunda 7 fork): one XML changelog of sqlFiles named
 * through a dbms property, nine tags with 7.22.0 missing. Each test is skipped, naming what to
 * put where, when its changelog is not there.
 */
@StartedHandles
class RealChangelogsTest {
    private static final MigrationSettings JHIPSTER = MigrationSettings.defaults().withChangelog(RealChangelogs.JHIPSTER);

    @Started(nameHint = "real-changelogs")
    private static StatefulPostgres db;

    @BeforeEach
    void emptyDatabase() throws SQLException {
        Sql.run(db, Sql.DROP_USER_SCHEMAS);
    }

    @Test
    void withoutContextsEveryChangesetRunsFakeDataIncludedAndTheVersionIsTheLastChangesetsId() throws Exception {
        Path resources = RealChangelogs.jhipsterResources();

        MigrationResult result = RealChangelogs.withClasspath(resources, () -> migrations(JHIPSTER).migrate());

        assertThat(result.applied()).hasSize(12);
        assertThat(result.applied().get(0).script()).isEqualTo("config/liquibase/changelog/00000000000000_initial_schema.xml");
        assertThat(result.to()).contains("20150805125054-2");
        assertThat(Sql.count(db, "bank_account")).isEqualTo(30);
        assertThat(Sql.count(db, "jhi_user")).isEqualTo(2);
        List<Migration> pending = RealChangelogs.withClasspath(resources, () -> migrations(JHIPSTER).pendingMigrations());
        assertThat(pending).isEmpty();
        assertThat(migrations(JHIPSTER).schemaVersion()).contains("20150805125054-2");
    }

    @Test
    void theFakerContextLeavesOutTheTestChangesetWhichStaysPendingWithoutContexts() throws Exception {
        Path resources = RealChangelogs.jhipsterResources();
        MigrationSettings faker = JHIPSTER.withContexts("faker");

        MigrationResult result = RealChangelogs.withClasspath(resources, () -> migrations(faker).migrate());

        assertThat(result.applied()).hasSize(11).extracting(Migration::version).doesNotContain("00000000000002");
        assertThat(RealChangelogs.withClasspath(resources, () -> migrations(faker).pendingMigrations())).isEmpty();
        assertThat(RealChangelogs.withClasspath(resources, () -> migrations(JHIPSTER).pendingMigrations()))
                .extracting(Migration::version).containsExactly("00000000000002");
        assertThat(Sql.count(db, "label")).isEqualTo(30);
    }

    @Test
    void aTagOfAChangelogWithoutTagsSaysThereAreNone() throws Exception {
        Path resources = RealChangelogs.jhipsterResources();

        Throwable thrown = RealChangelogs.withClasspath(resources, () -> {
            try {
                migrations(JHIPSTER).migrateTo("v1");
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });

        assertThat(thrown).hasMessage("Liquibase tag 'v1' is not in changelog 'classpath:config/liquibase/master.xml'; "
                + "its tags are []. Fix: the changelog has no tagDatabase changeset at all; migrate to 'latest', or "
                + "add a changeset with tagDatabase tag: v1 where that state ends.");
        assertThat(Sql.tableExists(db, "databasechangelog")).isFalse();
    }

    @Test
    void operatonToATagThenTheNextThenLatestAndItsSkippedTagIsUnknown() throws SQLException {
        MigrationSettings operaton = MigrationSettings.defaults()
                .withChangelog("filesystem:" + RealChangelogs.operatonChangelog());

        MigrationResult first = migrations(operaton).migrateTo("7.20.0");

        assertThat(first.to()).contains("7.20.0");
        assertThat(first.applied()).hasSize(10);
        assertThat(migrations(operaton).pendingMigrations()).extracting(Migration::version).startsWith(
                "7.20-to-7.21", "7.21.0-tag");

        MigrationResult next = migrations(operaton).migrateTo("7.21.0");

        assertThat(next.from()).contains("7.20.0");
        assertThat(next.to()).contains("7.21.0");
        assertThat(next.applied()).extracting(Migration::version).containsExactly("7.20-to-7.21", "7.21.0-tag");
        assertThatThrownBy(() -> migrations(operaton).migrateTo("7.22.0"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("its tags are [7.16.0, 7.17.0, 7.18.0, 7.19.0, 7.20.0, 7.21.0, 7.23.0, 7.24.0, "
                        + "7.25.0]");
        assertThat(migrations(operaton).schemaVersion()).contains("7.21.0");

        MigrationResult latest = migrations(operaton).migrate();

        assertThat(latest.to()).contains("7.25.0");
        assertThat(migrations(operaton).pendingMigrations()).isEmpty();
        assertThat(Sql.number(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_name LIKE 'act\\_%'")).isEqualTo(49);
    }

    private static Migrations migrations(MigrationSettings settings) {
        return db.migrations().withSettings(settings);
    }
}
