package dev.stateful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.DatabaseFingerprint.TableFingerprint;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure logic of {@link DatabaseFingerprint}: no database. */
class DatabaseFingerprintTest {
    private static final String EMPTY = "d41d8cd98f00b204e9800998ecf8427e";
    private static final String H1 = "0123456789abcdef0123456789abcdef";
    private static final String H2 = "fedcba9876543210fedcba9876543210";

    @Test
    void equalFingerprintsHaveNoDiff() {
        DatabaseFingerprint a = DatabaseFingerprint.of(Map.of("public.a", new TableFingerprint(2, H1)));
        DatabaseFingerprint b = DatabaseFingerprint.of(Map.of("public.a", new TableFingerprint(2, H1)));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.diff(b)).isEmpty();
    }

    @Test
    void diffNamesEveryKindOfChangeInTableOrder() {
        DatabaseFingerprint before = DatabaseFingerprint.of(Map.of(
                "public.same", new TableFingerprint(1, H1),
                "public.shrunk", new TableFingerprint(3, H1),
                "public.edited", new TableFingerprint(3, H1),
                "public.dropped", new TableFingerprint(2, H1),
                "app.dropped_one", new TableFingerprint(1, H1)));
        DatabaseFingerprint after = DatabaseFingerprint.of(Map.of(
                "public.same", new TableFingerprint(1, H1),
                "public.shrunk", new TableFingerprint(2, H2),
                "public.edited", new TableFingerprint(3, H2),
                "public.added", new TableFingerprint(1, H2),
                "audit.log", new TableFingerprint(0, EMPTY)));

        assertThat(before).isNotEqualTo(after);
        assertThat(before.diff(after)).containsExactly(
                "app.dropped_one: table removed (had 1 row)",
                "audit.log: table added (0 rows)",
                "public.added: table added (1 row)",
                "public.dropped: table removed (had 2 rows)",
                "public.edited: same row count (3) but content changed",
                "public.shrunk: rows 3 -> 2");
    }

    @Test
    void diffIsDirectional() {
        DatabaseFingerprint small = DatabaseFingerprint.of(Map.of("public.t", new TableFingerprint(1, H1)));
        DatabaseFingerprint big = DatabaseFingerprint.of(Map.of("public.t", new TableFingerprint(4, H2)));

        assertThat(small.diff(big)).containsExactly("public.t: rows 1 -> 4");
        assertThat(big.diff(small)).containsExactly("public.t: rows 4 -> 1");
    }

    @Test
    void tablesAreSortedAndUnmodifiable() {
        Map<String, TableFingerprint> in = new LinkedHashMap<>();
        in.put("public.b", new TableFingerprint(1, H1));
        in.put("app.z", new TableFingerprint(2, H2));
        in.put("public.a", new TableFingerprint(0, EMPTY));
        DatabaseFingerprint f = DatabaseFingerprint.of(in);
        in.clear();

        assertThat(f.tables()).containsOnlyKeys("app.z", "public.a", "public.b");
        assertThat(f.tables().keySet()).containsExactly("app.z", "public.a", "public.b");
        assertThat(f.totalRows()).isEqualTo(3);
        assertThatThrownBy(() -> f.tables().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringListsTablesWithRowsAndShortHash() {
        DatabaseFingerprint f = DatabaseFingerprint.of(Map.of(
                "public.orders", new TableFingerprint(3, H1),
                "public.one", new TableFingerprint(1, H2)));

        assertThat(f).hasToString("DatabaseFingerprint (2 tables)\n"
                + "  public.one: 1 row, hash fedcba98\n"
                + "  public.orders: 3 rows, hash 01234567");
        assertThat(DatabaseFingerprint.of(Map.of())).hasToString("DatabaseFingerprint (0 tables)");
    }

    @Test
    void tableFingerprintRejectsBadValues() {
        assertThatThrownBy(() -> new TableFingerprint(-1, H1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new TableFingerprint(0, null)).isInstanceOf(NullPointerException.class);
    }
}
