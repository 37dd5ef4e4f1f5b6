package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.StatefulSettings;
import dev.stateful.error.InvalidArgumentException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The migration source part of {@link MigrationSettings}: pure logic, no database. */
class MigrationSourceTest {
    private static final MigrationSettings DEFAULTS = MigrationSettings.defaults();

    @Test
    void theLastSourceNamedWinsAndEachKeepsItsOwnFields() {
        MigrationSettings liquibase = DEFAULTS.withLocations("classpath:db/legacy")
                .withChangelog("classpath:db/changelog/master.yaml").withContexts("!faker").withLabels(" ");

        assertThat(liquibase.changelog()).contains("classpath:db/changelog/master.yaml");
        assertThat(liquibase.image()).isEmpty();
        assertThat(liquibase.contexts()).contains("!faker");
        assertThat(liquibase.labels()).as("blank is none").isEmpty();
        assertThat(liquibase.toString()).endsWith(", changelog=classpath:db/changelog/master.yaml, contexts=!faker, "
                + "labels=]");

        MigrationSettings image = liquibase.withImage("acme/orders-migrator:1.4", "alembic", "upgrade", "head")
                .withEnv(Map.of("SECRET_TOKEN", "hunter2"));
        assertThat(image.changelog()).isEmpty();
        assertThat(image.image()).contains("acme/orders-migrator:1.4");
        assertThat(image.command()).containsExactly("alembic", "upgrade", "head");
        assertThat(image.toString()).endsWith(", image=acme/orders-migrator:1.4, command=[alembic, upgrade, head], "
                + "env=[SECRET_TOKEN]]").doesNotContain("hunter2");

        MigrationSettings flyway = image.withLocations("classpath:db/migration");
        assertThat(flyway.image()).isEmpty();
        assertThat(flyway.changelog()).isEmpty();
        assertThat(flyway.toString()).doesNotContain("image=").doesNotContain("changelog=");
        assertThat(flyway).isNotEqualTo(image).isNotEqualTo(liquibase);
        assertThat(DEFAULTS.withChangelog("a.xml")).isEqualTo(DEFAULTS.withChangelog("a.xml"))
                .isNotEqualTo(DEFAULTS.withChangelog("b.xml"));
    }

    @Test
    void aTargetIsATagForLiquibaseAndAVersionForFlyway() {
        assertThat(DEFAULTS.withChangelog("master.xml").withTarget("v2").target()).contains("v2");
        assertThat(DEFAULTS.withImage("acme/m:1").withTarget("head").target()).contains("head");
        assertThat(DEFAULTS.withChangelog("master.xml").withTarget("latest").target()).isEmpty();
        assertThatThrownBy(() -> DEFAULTS.withTarget("v2")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("target version 'v2' is invalid; expected a migration version");
        assertThatThrownBy(() -> DEFAULTS.withChangelog("master.xml").withTarget(" "))
                .hasMessage("target ' ' is invalid; expected a tag or 'latest'. Fix: pass a tag of the changelog, or "
                        + "'latest'.");
    }

    @Test
    void badChangelogsImagesCommandsAndEnvAreRejectedWithTheFix() {
        assertThatThrownBy(() -> DEFAULTS.withChangelog("db/changelog/master.txt"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("changelog 'db/changelog/master.txt' is invalid; expected a Liquibase changelog file (.xml, "
                        + ".yaml, .yml, .json or .sql) as 'classpath:path', 'filesystem:path' or a bare classpath path. "
                        + "Fix: write for example 'classpath:db/changelog/db.changelog-master.yaml'.");
        assertThatThrownBy(() -> DEFAULTS.withChangelog("file:db/master.xml")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> DEFAULTS.withImage("acme/m:1 --privileged"))
                .hasMessage("migrator image 'acme/m:1 --privileged' is invalid; expected an image reference such as "
                        + "acme/orders-migrator:1.4. Fix: name the image the deployment runs.");
        assertThatThrownBy(() -> DEFAULTS.withImage("acme/m:1", "migrate", ""))
                .hasMessage("migrator command [migrate, ] holds an empty argument; expected one argument per element, "
                        + "such as {\"alembic\", \"upgrade\", \"head\"}. Fix: remove it.");
        assertThatThrownBy(() -> DEFAULTS.withEnv(Map.of("1ST", "x")))
                .hasMessage("migrator env name '1ST' is invalid; expected letters, digits and '_', not starting with a "
                        + "digit. Fix: write for example 'ALEMBIC_CONFIG=/app/a.ini'.");
        assertThatThrownBy(() -> DEFAULTS.withEnv(Map.of("DATABASE_URL", "postgresql://elsewhere")))
                .hasMessage("migrator env 'DATABASE_URL' is set by Stateful; expected other names than [DATABASE_URL, "
                        + "JDBC_URL, PGDATABASE, PGHOST, PGPASSWORD, PGPORT, PGUSER, STATEFUL_TARGET]. Fix: read "
                        + "DATABASE_URL in the migrator as Stateful sets it, or use another name.");
    }

    @Test
    void theLiquibaseSettingsComeFromConfigurationParametersAndTheEnvironment() {
        Map<String, String> parameters = Map.of("stateful.liquibase.changelog", "classpath:db/changelog/master.yaml",
                "stateful.liquibase.contexts", "faker");
        MigrationSettings settings = StatefulSettings.of(name -> Optional.ofNullable(parameters.get(name)),
                Map.of("STATEFUL_LIQUIBASE_LABELS", "!slow")).migrationSettings();

        assertThat(settings.changelog()).contains("classpath:db/changelog/master.yaml");
        assertThat(settings.contexts()).contains("faker");
        assertThat(settings.labels()).contains("!slow");
        assertThat(StatefulSettings.of(name -> Optional.empty(), Map.of()).migrationSettings())
                .isEqualTo(MigrationSettings.defaults());
    }

    @Test
    void aChangesetIdIsShownAsItIsAndAFlywayVersionWithV() {
        assertThat(new Migration("3", "add index", "V3__add_index.sql")).hasToString("V3 add index (V3__add_index.sql)");
        assertThat(new Migration("2.1", "fix", "V2_1__fix.sql")).hasToString("V2.1 fix (V2_1__fix.sql)");
        assertThat(new Migration("20150805124838-1", "createTable tableName=bank_account", "config/liquibase/a.xml"))
                .hasToString("20150805124838-1 createTable tableName=bank_account (config/liquibase/a.xml)");
        assertThat(new Migration(null, "view", "R__view.sql")).hasToString("R view (R__view.sql)");
    }

    @Test
    void theDatabaseUrlPercentEncodesUserPasswordAndDatabase() {
        String url = ImageMigrator.databaseUrl("app user", "p@ss:/w+rd%é", "orders db");

        assertThat(url).isEqualTo("postgresql://app%20user:p%40ss%3A%2Fw%2Brd%25%C3%A9@stateful-db:5432/orders%20db");
        URI parsed = URI.create(url);
        assertThat(parsed.getUserInfo()).isEqualTo("app user:p@ss:/w+rd%é");
        assertThat(parsed.getHost()).isEqualTo("stateful-db");
        assertThat(parsed.getPort()).isEqualTo(5432);
        assertThat(parsed.getPath()).isEqualTo("/orders db");
    }
}
