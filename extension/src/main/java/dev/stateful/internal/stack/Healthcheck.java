package dev.stateful.internal.stack;

import java.time.Duration;
import java.util.List;

/**
 * A service's healthcheck.
 *
 * @param test the test as Docker takes it: {@code CMD} or {@code CMD-SHELL} first, or {@code NONE} to disable the image's
 * @param interval time between checks
 * @param timeout time one check may take
 * @param retries failures in a row before the service is unhealthy
 * @param startPeriod time at start during which failures do not count
 */
public record Healthcheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {
    /** Copy the test. */
    public Healthcheck {
        test = List.copyOf(test);
    }

    /**
     * Whether the file turns the image's healthcheck off.
     *
     * @return true for {@code disable: true} or {@code test: ["NONE"]}
     */
    public boolean disabled() {
        return !test.isEmpty() && test.get(0).equals("NONE");
    }
}
