package dev.stateful.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.migrate.ServerMessages.Action;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules on facts, and the server messages they read, with the exact texts Postgres 17 sends. */
class HazardRulesTest {
    private static final Migration M = new Migration("4", "change orders", "V4__change_orders.sql");
    private static final Duration LIMIT = Duration.ofSeconds(1);

    private static TableFacts facts(long rows, LockMode lock, long heldMs, long readsMs, long writesMs, String rewrite,
                                    String scan, Map<String, String> indexes) {
        return new TableFacts("public.orders", rows, lock, Duration.ofMillis(heldMs), Duration.ofMillis(readsMs),
                Duration.ofMillis(writesMs), rewrite, scan, indexes, List.of());
    }

    private static List<HazardKind> kinds(TableFacts f) {
        return HazardRules.find(M, List.of(f), LIMIT).stream().map(Hazard::kind).toList();
    }

    @Test
    void parsesTheServersDebugMessages() {
        assertThat(ServerMessages.parse("rewriting table \"orders\"").orElseThrow())
                .isEqualTo(new ServerMessages.Event(Action.REWRITE, "orders", null));
        assertThat(ServerMessages.parse("verifying table \"orders\"").orElseThrow().action()).isEqualTo(Action.SCAN);
        assertThat(ServerMessages.parse("validating foreign key constraint \"orders_customer_fk\"").orElseThrow())
                .isEqualTo(new ServerMessages.Event(Action.FOREIGN_KEY_SCAN, "orders_customer_fk", null));
        assertThat(ServerMessages.parse("building index \"orders_customer_idx\" on table \"orders\" with request for "
                + "1 parallel workers").orElseThrow())
                .isEqualTo(new ServerMessages.Event(Action.INDEX_BUILD, "orders", "orders_customer_idx"));
        assertThat(ServerMessages.parse("building index \"pg_toast_16391_index\" on table \"pg_toast_16391\" serially")
                .orElseThrow().table()).isEqualTo("pg_toast_16391");
        assertThat(ServerMessages.parse("existing constraints on column \"orders.customer\" are sufficient to prove "
                + "that it does not contain nulls").orElseThrow())
                .isEqualTo(new ServerMessages.Event(Action.SCAN_SKIPPED, "orders", null));
        assertThat(ServerMessages.parse("index \"orders_customer_idx\" can safely use deduplication")).isEmpty();
    }

    @Test
    void aRewriteOfATableWithRowsIsAHazardWithAdviceByItsCause() {
        List<Hazard> h = HazardRules.find(M, List.of(facts(10, LockMode.ACCESS_EXCLUSIVE, 50, 50, 50,
                "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2)", null, Map.of())), LIMIT);
        assertThat(h).extracting(Hazard::kind).containsExactly(HazardKind.TABLE_REWRITE);
        assertThat(h.get(0).advice()).startsWith("add a column of the new type");
        assertThat(kinds(facts(0, LockMode.ACCESS_EXCLUSIVE, 5, 5, 5, "ALTER TABLE orders ALTER COLUMN total TYPE text",
                null, Map.of()))).isEmpty();
    }

    @Test
    void anIndexIsAHazardOnlyUnderALockThatBlocksWrites() {
        Map<String, String> index = Map.of("public.orders_customer_idx", "CREATE INDEX orders_customer_idx ON orders (customer)");
        assertThat(kinds(facts(10, LockMode.SHARE, 50, 0, 50, null, null, index)))
                .containsExactly(HazardKind.BLOCKING_INDEX_BUILD);
        assertThat(kinds(facts(10, LockMode.SHARE_UPDATE_EXCLUSIVE, 50, 0, 0, null, null, index))).isEmpty();
        List<Hazard> key = HazardRules.find(M, List.of(facts(10, LockMode.ACCESS_EXCLUSIVE, 50, 50, 50, null, null,
                Map.of("public.orders_pkey", "ALTER TABLE orders ADD PRIMARY KEY (id)"))), LIMIT);
        assertThat(key.get(0).advice()).startsWith("CREATE UNIQUE INDEX CONCURRENTLY");
    }

    @Test
    void aScanIsAHazardUnderALockThatBlocksWritesNotUnderValidate() {
        assertThat(kinds(facts(10, LockMode.ACCESS_EXCLUSIVE, 50, 50, 50, null,
                "ALTER TABLE orders ALTER COLUMN customer SET NOT NULL", Map.of())))
                .containsExactly(HazardKind.SCAN_UNDER_EXCLUSIVE_LOCK);
        assertThat(kinds(facts(10, LockMode.SHARE_ROW_EXCLUSIVE, 50, 0, 50, null,
                "ALTER TABLE orders ADD FOREIGN KEY (customer) REFERENCES customers", Map.of())))
                .containsExactly(HazardKind.SCAN_UNDER_EXCLUSIVE_LOCK);
        assertThat(kinds(facts(10, LockMode.SHARE_UPDATE_EXCLUSIVE, 50, 0, 0, null,
                "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk", Map.of()))).isEmpty();
    }

    @Test
    void readsBlockedLongerThanTheLimitIsALongExclusiveLockEvenOnAnEmptyTable() {
        assertThat(kinds(facts(0, LockMode.ACCESS_EXCLUSIVE, 1500, 1500, 1500, null, null, Map.of())))
                .containsExactly(HazardKind.LONG_EXCLUSIVE_LOCK);
        assertThat(kinds(facts(0, LockMode.ACCESS_EXCLUSIVE, 900, 900, 900, null, null, Map.of()))).isEmpty();
        // SHARE held long blocks writes only: not a LONG_EXCLUSIVE_LOCK.
        assertThat(kinds(facts(0, LockMode.SHARE, 5000, 0, 5000, null, null, Map.of()))).isEmpty();
    }
}
