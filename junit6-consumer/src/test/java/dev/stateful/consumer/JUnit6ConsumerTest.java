package dev.stateful.consumer;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.junit.WithVolume;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** A @WithVolume test in a project whose only JUnit is junit-jupiter 6.x, declared without a BOM. */
@WithVolume
class JUnit6ConsumerTest {

    @Test
    void everyJUnitJarOnTheClasspathIsTheProjectsOwn() {
        assertThat(ExtensionContext.class.getPackage().getImplementationVersion()).startsWith("6.");
        assertThat(AnnotationSupport.class.getPackage().getImplementationVersion()).startsWith("6.");
    }

    @Test
    void theVolumeWorks(StatefulPostgres db) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE visits (id int)");
            s.execute("INSERT INTO visits VALUES (1)");
        }
        assertThat(db).table("visits").hasRowCount(1);
    }
}
