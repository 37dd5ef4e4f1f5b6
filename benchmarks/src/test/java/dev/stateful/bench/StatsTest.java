package dev.stateful.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.ofNanos(List.of(3_000_000L, 1_000_000L, 2_000_000L)).medianMillis()).isEqualTo(2.0);
        assertThat(Stats.ofNanos(List.of(4_000_000L, 1_000_000L, 2_000_000L, 3_000_000L)).medianMillis()).isEqualTo(2.5);
    }

    @Test
    void p95IsTheNearestRank() {
        List<Long> twenty = new java.util.ArrayList<>();
        for (long i = 1; i <= 20; i++) {
            twenty.add(i * 1_000_000);
        }
        assertThat(Stats.ofNanos(twenty).p95Millis()).isCloseTo(19.0, within(1e-9));
    }

    @Test
    void tableShowsSpeedUpAgainstTheReference() {
        ResultTable table = new ResultTable();
        table.add(new ResultTable.Row("reset", "fast", Stats.ofNanos(List.of(2_000_000L)), 100.0, "10 MB"));
        assertThat(table.markdown()).contains("| reset | fast | 1 | 2.0 | 2.0 | 50.0× | 10 MB |");
        assertThat(table.csv()).contains("\"reset\",\"fast\",1,2.000,2.000,50.000,\"10 MB\"");
    }
}
