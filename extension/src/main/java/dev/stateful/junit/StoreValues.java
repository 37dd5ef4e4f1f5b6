package dev.stateful.junit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Get-or-create for values in an extension store, the same on JUnit 5.14 and 6.x without
 * deprecated API: JUnit 6's {@code computeIfAbsent} does not exist in 5.14, and 6 deprecates
 * {@code getOrComputeIfAbsent}. Atomic per context: JUnit keeps one context per test node, so
 * parallel classes do not wait for each other.
 */
final class StoreValues {
    private StoreValues() {
    }

    static <T> T getOrCreate(ExtensionContext context, ExtensionContext.Namespace namespace, Object key, Class<T> type,
                             Supplier<? extends T> create) {
        ExtensionContext.Store store = context.getStore(namespace);
        synchronized (context) {
            T value = store.get(key, type);
            if (value == null) {
                value = create.get();
                store.put(key, value);
            }
            return value;
        }
    }
}
