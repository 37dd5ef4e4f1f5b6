package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The eight table lock modes against the conflict table of the Postgres manual (table 13.2), all 64 pairs. */
class LockModeTest {
    /** Copied from the manual: row = requested mode, X = conflicts with the held mode of that column. */
    private static final String[] MANUAL = {
        // AS RS RE SUE S SRE E AE
        "       X",   // ACCESS SHARE
        "      XX",   // ROW SHARE
        "    XXXX",   // ROW EXCLUSIVE
        "   XXXXX",   // SHARE UPDATE EXCLUSIVE
        "  XX XXX",   // SHARE
        "  XXXXXX",   // SHARE ROW EXCLUSIVE
        " XXXXXXX",   // EXCLUSIVE
        "XXXXXXXX",   // ACCESS EXCLUSIVE
    };

    @Test
    void everyPairConflictsAsTheManualSays() {
        LockMode[] modes = LockMode.values();
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                assertThat(modes[i].conflictsWith(modes[j])).as(modes[i] + " vs " + modes[j])
                        .isEqualTo(MANUAL[i].charAt(j) == 'X');
            }
        }
    }

    @Test
    void onlyAccessExclusiveBlocksReadsAndShareAndStrongerBlockWrites() {
        assertThat(Arrays.stream(LockMode.values()).filter(LockMode::blocksReads))
                .containsExactly(LockMode.ACCESS_EXCLUSIVE);
        assertThat(Arrays.stream(LockMode.values()).filter(LockMode::blocksWrites)).containsExactly(LockMode.SHARE,
                LockMode.SHARE_ROW_EXCLUSIVE, LockMode.EXCLUSIVE, LockMode.ACCESS_EXCLUSIVE);
    }

    @Test
    void namesOfPgLocksAndOfLockTable() {
        assertThat(LockMode.fromPgLocks("ShareUpdateExclusiveLock")).isEqualTo(LockMode.SHARE_UPDATE_EXCLUSIVE);
        assertThat(LockMode.SHARE_ROW_EXCLUSIVE.sqlName()).isEqualTo("SHARE ROW EXCLUSIVE");
        assertThat(LockMode.strongest(LockMode.SHARE, LockMode.ROW_EXCLUSIVE)).isEqualTo(LockMode.SHARE);
        assertThatThrownBy(() -> LockMode.fromPgLocks("SIReadLock")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pg_locks mode 'SIReadLock' is not a table lock mode");
    }
}
