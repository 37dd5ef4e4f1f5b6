package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.TestImages;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Where {@code @WithVolume}'s settings come from: annotation attribute, then JUnit configuration
 * parameter, then environment variable, then default. The environment tier is covered by
 * {@link WithVolumeLifecycleTest#settingsWithoutAttributeOrParameterComeFromTheEnvironment()}.
 */
@Tag("docker")
@Tag("also-on-junit6")
class ConfigurationPrecedenceTest {
    private static final String OTHER_IMAGE = "postgres:15-bookworm";
    private static final String ANNOTATED_IMAGE = "postgres:17-trixie";

    @Test
    void attributeBeatsParameterAndParameterBeatsEnvironment() {
        assumeTrue(TestImages.exists(OTHER_IMAGE) && TestImages.exists(ANNOTATED_IMAGE),
                "needs the local images " + OTHER_IMAGE + " and " + ANNOTATED_IMAGE);
        Captured.clear();
        // stateful.database names a server's own database: a class on the shared server has one of its own (c_...).
        Kit.run(Map.of("stateful.image", OTHER_IMAGE, "stateful.database", "cfgdb", "stateful.username", "cfguser",
                        "stateful.server", "own"),
                FromParameters.class, FromAttributes.class)
                .testEvents().assertStatistics(s -> s.succeeded(2));

        assertThat(Captured.only("FromParameters")).isEqualTo(OTHER_IMAGE + " cfgdb cfguser / 15 cfgdb cfguser");
        assertThat(Captured.only("FromAttributes")).isEqualTo(ANNOTATED_IMAGE + " annodb annouser / 17 annodb annouser");
    }

    static void capture(String key, StatefulPostgres db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000, "
                     + "current_database(), current_user")) {
            rs.next();
            Captured.add(key, db.image() + " " + db.database() + " " + db.username() + " / "
                    + rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
    }

    @WithVolume
    static class FromParameters {
        @Test
        void test(StatefulPostgres db) throws Exception {
            capture("FromParameters", db);
        }
    }

    @WithVolume(image = ANNOTATED_IMAGE, database = "annodb", username = "annouser")
    static class FromAttributes {
        @Test
        void test(StatefulPostgres db) throws Exception {
            capture("FromAttributes", db);
        }
    }
}
