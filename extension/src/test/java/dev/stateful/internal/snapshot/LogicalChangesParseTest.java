package dev.stateful.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The keys read from {@code test_decoding} lines as Postgres 17 prints them. */
class LogicalChangesParseTest {
    private static final Map<String, List<String>> KEYS = Map.of(
            "public.t", List.of("id"),
            "public.u", List.of("a", "b"),
            "\"My Schema\".\"Odd: table\"", List.of("\"Key col\""));

    private final Map<String, Set<List<String>>> keys = new HashMap<>();
    private final Set<String> unknown = new HashSet<>();

    private boolean parse(String line) {
        return LogicalChanges.parse(line, keys, unknown, KEYS);
    }

    @Test
    void insertsUpdatesAndDeletesGiveTheirKeysAndAKeyChangeGivesBoth() {
        assertThat(parse("BEGIN")).isTrue();
        assertThat(parse("table public.t: INSERT: id[integer]:1 v[text]:'a''b\\c d' n[numeric]:1.5")).isTrue();
        assertThat(parse("table public.t: UPDATE: id[integer]:3 v[text]:'x' n[numeric]:1.5")).isTrue();
        assertThat(parse("table public.t: UPDATE: old-key: id[integer]:4 new-tuple: id[integer]:5 v[text]:null "
                + "n[numeric]:2")).isTrue();
        assertThat(parse("table public.t: DELETE: id[integer]:6")).isTrue();
        assertThat(parse("table public.u: INSERT: a[integer]:1 b[text]:'x y'")).isTrue();
        assertThat(parse("table public.u: DELETE: a[integer]:2 b[text]:'it''s'")).isTrue();
        assertThat(parse("COMMIT")).isTrue();
        assertThat(keys.get("public.t")).containsExactlyInAnyOrder(List.of("1"), List.of("3"), List.of("4"),
                List.of("5"), List.of("6"));
        assertThat(keys.get("public.u")).containsExactlyInAnyOrder(List.of("1", "x y"), List.of("2", "it's"));
        assertThat(unknown).isEmpty();
    }

    @Test
    void quotedNamesArrayTypesAndBitStringsAreRead() {
        assertThat(parse("table \"My Schema\".\"Odd: table\": INSERT: \"Key col\"[character varying]:'k: 1' "
                + "tags[text[]]:'{a,b}' bits[bit(3)]:B'101' flag[boolean]:true")).isTrue();
        assertThat(keys.get("\"My Schema\".\"Odd: table\"")).containsExactly(List.of("k: 1"));
        assertThat(unknown).isEmpty();
    }

    @Test
    void whatDecodingCannotTellMakesTheTableUnknown() {
        assertThat(parse("table public.t: TRUNCATE: (no-flags)")).isTrue();
        assertThat(parse("table public.u: DELETE: (no-tuple-data)")).isTrue();
        assertThat(parse("table public.nokey: INSERT: x[integer]:1")).isTrue();
        assertThat(unknown).containsExactlyInAnyOrder("public.t", "public.u", "public.nokey");
    }

    @Test
    void anUnchangedToastedKeyIsUnknownAndAMalformedLineIsRefused() {
        assertThat(parse("table public.t: UPDATE: id[integer]:unchanged-toast-datum v[text]:'x'")).isTrue();
        assertThat(unknown).containsExactly("public.t");
        assertThat(parse("table public.t: INSERT: id[integer]:1 v[text]:'unterminated")).isFalse();
        assertThat(parse("something else")).isFalse();
    }
}
