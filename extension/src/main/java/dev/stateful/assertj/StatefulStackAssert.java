package dev.stateful.assertj;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.stack.StackFingerprint;
import dev.stateful.stack.StatefulStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on every store of a {@link StatefulStack}: whether its data survives an operation
 * ({@code down}/{@code up}, a restart, a new container, an image upgrade) or is lost by it
 * ({@code downWithVolumes}). Failures list the differences per service.
 */
public final class StatefulStackAssert extends AbstractAssert<StatefulStackAssert, StatefulStack> {

    StatefulStackAssert(StatefulStack stack) {
        super(stack, StatefulStackAssert.class);
    }

    /**
     * Verify that every store of every service holds the same data after the action: Postgres
     * tables, every Redis key (type, value, TTL flag), the files of the other services' named volumes.
     *
     * @param action what the stack should survive, such as {@code () -> { stack.down(); stack.up(); }}
     * @return this assertion
     * @throws AssertionError listing each difference, prefixed with its service
     */
    public StatefulStackAssert survives(ThrowingRunnable action) {
        Objects.requireNonNull(action, "action");
        isNotNull();
        String expectation = "Expected every store of " + actual + " to survive the action";
        StackFingerprint before = read(expectation, "before the action");
        run(action, expectation);
        StackFingerprint after = read(expectation, "after the action");
        List<String> diff = before.diff(after);
        if (!diff.isEmpty()) {
            throw stackFailure(expectation + " unchanged, but " + diff.size() + " thing" + (diff.size() == 1 ? "" : "s")
                    + " changed:\n  " + String.join("\n  ", diff));
        }
        return myself;
    }

    /**
     * Verify that the action loses the data of every service that had some: no table keeps rows,
     * no key or file keeps its value.
     *
     * @param action what should lose the data, such as {@code stack::downWithVolumes} followed by {@code up()}
     * @return this assertion
     * @throws AssertionError naming the services whose data survived, or when there was nothing to lose
     */
    public StatefulStackAssert losesDataOn(ThrowingRunnable action) {
        Objects.requireNonNull(action, "action");
        isNotNull();
        String expectation = "Expected the action to lose the data of every store of " + actual;
        StackFingerprint before = read(expectation, "before the action");
        List<String> withData = new ArrayList<>();
        before.services().forEach((service, value) -> {
            if (hasData(value)) {
                withData.add(service);
            }
        });
        if (withData.isEmpty()) {
            throw stackFailure(expectation + ", but there was nothing to lose: no service had data before the action."
                    + "\nFix: write data before the action, or the assertion cannot fail.");
        }
        run(action, expectation);
        StackFingerprint after = read(expectation, "after the action");
        List<String> kept = new ArrayList<>();
        for (String service : withData) {
            kept.addAll(survivors(service, before.services().get(service), after.services().get(service)));
        }
        if (!kept.isEmpty()) {
            throw stackFailure(expectation + ", but some of it is still there:\n  " + String.join("\n  ", kept));
        }
        return myself;
    }

    private static boolean hasData(Object value) {
        if (value instanceof DatabaseFingerprint) {
            return ((DatabaseFingerprint) value).totalRows() > 0;
        }
        return value instanceof Map && !((Map<?, ?>) value).isEmpty();
    }

    private static List<String> survivors(String service, Object before, Object after) {
        List<String> lines = new ArrayList<>();
        if (before instanceof DatabaseFingerprint && after instanceof DatabaseFingerprint) {
            Messages.survivors((DatabaseFingerprint) before, (DatabaseFingerprint) after)
                    .forEach(line -> lines.add(service + ": " + line));
        } else if (before instanceof Map && after instanceof Map) {
            ((Map<?, ?>) before).forEach((key, value) -> {
                if (value.equals(((Map<?, ?>) after).get(key)) && !String.valueOf(value).startsWith("dir ")) {
                    lines.add(service + ": " + key + " kept (" + value + ")");
                }
            });
        }
        return lines;
    }

    private StackFingerprint read(String expectation, String when) {
        try {
            return actual.fingerprint();
        } catch (RuntimeException e) {
            throw stackFailure(expectation + ", but its fingerprint could not be read " + when + ": " + e.getMessage(), e);
        }
    }

    private void run(ThrowingRunnable action, String expectation) {
        try {
            action.run();
        } catch (Exception e) {
            throw stackFailure(expectation + ", but the action threw " + e, e);
        }
    }

    private AssertionError stackFailure(String message) {
        return stackFailure(message, null);
    }

    private AssertionError stackFailure(String message, Throwable cause) {
        AssertionError error = new AssertionError(message);
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }
}
