package dev.stateful.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * The JVM's peak heap over a stretch of a benchmark: the heap pools' peak usage, reset at
 * {@link #start()} and summed at {@link #stop()} (an upper bound: the pools may peak at different
 * moments).
 */
final class HeapPeak {
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private long peak;

    void start() {
        System.gc();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    void stop() {
        peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    long peakBytes() {
        return peak;
    }
}
