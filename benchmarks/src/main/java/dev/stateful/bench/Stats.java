package dev.stateful.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Summarise repeated timings: median and 95th percentile (nearest rank), in milliseconds.
 *
 * @param samples how many timings
 * @param medianMillis the median
 * @param p95Millis the 95th percentile
 */
public record Stats(int samples, double medianMillis, double p95Millis) {
    /**
     * Summarise timings given in nanoseconds.
     *
     * @param nanos the timings, at least one
     * @return the summary
     */
    public static Stats ofNanos(List<Long> nanos) {
        if (nanos.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        long p95 = sorted.get(Math.max(0, (int) Math.ceil(0.95 * n) - 1));
        return new Stats(n, median / 1e6, p95 / 1e6);
    }
}
