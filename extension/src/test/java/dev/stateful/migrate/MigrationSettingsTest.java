package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.InvalidArgumentException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationSettingsTest {
    @Test
    void defaultsAreFlywaysDefaults() {
        MigrationSettings d = MigrationSettings.defaults();

        assertThat(d.locations()).containsExactly("classpath:db/migration");
        assertThat(d.schemas()).isEmpty();
        assertThat(d.placeholders()).isEmpty();
        assertThat(d.baselineOnMigrate()).isFalse();
        assertThat(d.baselineVersion()).isEqualTo("1");
        assertThat(d.target()).isEmpty();
        assertThat(d.table()).isEqualTo("flyway_schema_history");
    }

    @Test
    void withersReturnChangedCopies() {
        MigrationSettings d = MigrationSettings.defaults();
        MigrationSettings s = d.withLocations("classpath:a", " filesystem:b ")
                .withSchemas("app", "audit")
                .withPlaceholders(Map.of("owner", "app_owner"))
                .withPlaceholder("env", "test")
                .withBaselineOnMigrate(true)
                .withBaselineVersion("2.1")
                .withTarget("3")
                .withTable("schema_history");

        assertThat(s.locations()).containsExactly("classpath:a", "filesystem:b");
        assertThat(s.schemas()).containsExactly("app", "audit");
        assertThat(s.placeholders()).containsExactly(Map.entry("owner", "app_owner"), Map.entry("env", "test"));
        assertThat(s.baselineOnMigrate()).isTrue();
        assertThat(s.baselineVersion()).isEqualTo("2.1");
        assertThat(s.target()).contains("3");
        assertThat(s.table()).isEqualTo("schema_history");
        assertThat(d).isEqualTo(MigrationSettings.defaults());
        assertThat(s).isNotEqualTo(d).isEqualTo(d.withLocations("classpath:a", "filesystem:b")
                .withSchemas("app", "audit").withPlaceholder("owner", "app_owner").withPlaceholder("env", "test")
                .withBaselineOnMigrate(true).withBaselineVersion("2.1").withTarget("3").withTable("schema_history"));
        assertThat(s.hashCode()).isEqualTo(s.withTarget("3").hashCode());
        assertThat(s.withSchemas().schemas()).isEmpty();
    }

    @Test
    void latestMeansNoTarget() {
        assertThat(MigrationSettings.defaults().withTarget("3").withTarget("latest").target()).isEmpty();
        assertThat(MigrationSettings.defaults().withTarget("LATEST").target()).isEmpty();
        assertThat(MigrationSettings.defaults().withTarget(null).target()).isEmpty();
        assertThat(MigrationSettings.defaults().withTarget("1_2").target()).contains("1_2");
    }

    @Test
    void invalidValuesAreRefusedWithTheFix() {
        MigrationSettings d = MigrationSettings.defaults();

        assertThatThrownBy(() -> d.withTarget("v3")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("target version 'v3' is invalid; expected a migration version such as 3 or 2.1 (or "
                        + "'latest'). Fix: use the part of the script name between 'V' and '__', for example 3 for "
                        + "V3__add_index.sql.");
        assertThatThrownBy(() -> d.withBaselineVersion("latest")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("baselineVersion version 'latest' is invalid");
        assertThatThrownBy(() -> d.withLocations()).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("locations is empty; expected at least one");
        assertThatThrownBy(() -> d.withLocations("classpath:a", " ")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("holds a blank entry");
        assertThatThrownBy(() -> d.withLocations("file:src/sql")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Fix: write 'filesystem:src/sql'");
        assertThatThrownBy(() -> d.withPlaceholder("a b", "x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("placeholder name 'a b' is invalid");
        assertThatThrownBy(() -> d.withTable(" ")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("migration history table ' ' is invalid");
    }
}
