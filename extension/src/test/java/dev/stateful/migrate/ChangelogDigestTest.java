package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache key's part for a Liquibase changelog covers the changelog and every file it reads:
 * an edit of an included changelog, of an sqlFile, of a loadData CSV or of an attribute
 * Liquibase's checksum ignores gives another digest. No database: parsed offline.
 */
class ChangelogDigestTest {
    @Test
    void editingAnyFileOfTheOwnChangelogChangesTheDigest(@TempDir Path dir) throws Exception {
        RealChangelogs.copy(Path.of(getClass().getResource("/stateful-test/liquibase/orders").toURI()), dir);
        MigrationSettings settings = MigrationSettings.defaults().withChangelog("filesystem:" + dir.resolve("master.yaml"));
        String original = Changelogs.digest(settings);

        assertThat(Changelogs.digest(settings)).as("stable").isEqualTo(original);
        String afterInclude = edit(dir.resolve("more/003-index.yaml"), "# a comment only\n", settings);
        assertThat(afterInclude).isNotEqualTo(original);
        String afterSqlFile = edit(dir.resolve("sql/002-customers.sql"), "-- still the same schema\n", settings);
        assertThat(afterSqlFile).isNotEqualTo(afterInclude);
        Files.writeString(dir.resolve("master.yaml"), Files.readString(dir.resolve("master.yaml"))
                .replace("context: faker", "context: demo"));
        assertThat(Changelogs.digest(settings)).isNotEqualTo(afterSqlFile);
        assertThat(Changelogs.digest(settings.withContexts("!demo")))
                .as("contexts and labels are in the settings' part of the key, not in the files' digest")
                .isEqualTo(Changelogs.digest(settings));
    }

    @Test
    void editingAFakeDataCsvOfTheJHipsterChangelogChangesTheDigest(@TempDir Path dir) throws Exception {
        RealChangelogs.copy(RealChangelogs.jhipsterResources(), dir);
        MigrationSettings settings = MigrationSettings.defaults().withChangelog(RealChangelogs.JHIPSTER);
        String original = RealChangelogs.withClasspath(dir, () -> Changelogs.digest(settings));

        Path csv = dir.resolve("config/liquibase/fake-data/label.csv");
        Files.writeString(csv, Files.readString(csv).replaceFirst("\n", "\n1000;edited\n"));

        assertThat(RealChangelogs.withClasspath(dir, () -> Changelogs.digest(settings))).isNotEqualTo(original);
        Path include = dir.resolve("config/liquibase/changelog/20150805124936_added_entity_Label.xml");
        String afterCsv = RealChangelogs.withClasspath(dir, () -> Changelogs.digest(settings));
        Files.writeString(include, "<!-- edited -->\n", StandardOpenOption.APPEND);
        assertThat(RealChangelogs.withClasspath(dir, () -> Changelogs.digest(settings))).isNotEqualTo(afterCsv);
    }

    @Test
    void editingAnUpgradeScriptOfTheOperatonChangelogChangesTheDigest(@TempDir Path dir) throws Exception {
        RealChangelogs.copy(RealChangelogs.operatonChangelog().getParent(), dir);
        MigrationSettings settings = MigrationSettings.defaults()
                .withChangelog("filesystem:" + dir.resolve("operaton-changelog.xml"));
        String original = Changelogs.digest(settings);

        String edited = edit(dir.resolve("upgrade/postgres_engine_7.24_to_7.25.sql"), "\n-- edited\n", settings);

        assertThat(edited).isNotEqualTo(original);
    }

    private static String edit(Path file, String appended, MigrationSettings settings) throws IOException {
        Files.writeString(file, appended, StandardOpenOption.APPEND);
        return Changelogs.digest(settings);
    }
}
