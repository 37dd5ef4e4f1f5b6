package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import java.sql.Connection;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithVolume
class WithVolumeSmokeTest {
    @Test
    void injectsHandleAndDataSource(StatefulPostgres db, DataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(2)).isTrue();
        }
        assertThat(db.volumeName()).startsWith("stateful-WithVolumeSmokeTest-");
    }

    @Test
    @WithVolume
    void methodGetsItsOwn(StatefulPostgres db) {
        assertThat(db.volumeName()).startsWith("stateful-WithVolumeSmokeTest-methodGetsItsOwn-");
    }

    @Nested
    class Inner {
        @Test
        void seesOuterHandle(StatefulPostgres db) {
            assertThat(db.volumeName()).startsWith("stateful-WithVolumeSmokeTest-");
        }
    }
}
