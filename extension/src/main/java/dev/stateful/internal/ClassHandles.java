package dev.stateful.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Not API: the handle of each running {@code @WithVolume} test class, for code that sees the test
 * class but not JUnit's extension context (stateful-spring's context customizer and test
 * execution listener). The extension registers a class's handle when it starts it and
 * unregisters it when it closes it.
 */
public final class ClassHandles {
    private static final Map<Class<?>, Entry> HANDLES = new ConcurrentHashMap<>();

    /**
     * A running class's handle and its per-test reset.
     *
     * @param handle the class's handle (a {@code dev.stateful.StatefulPostgres})
     * @param beforeTest brings the database to the class's baseline; idempotent within one test
     */
    public record Entry(Object handle, Runnable beforeTest) {
    }

    private ClassHandles() {
    }

    /**
     * Register the handle of a class.
     *
     * @param owner the class annotated with {@code @WithVolume}
     * @param entry its handle and reset
     */
    public static void register(Class<?> owner, Entry entry) {
        HANDLES.put(owner, entry);
    }

    /**
     * Unregister the handle of a class, unless another one has replaced it since.
     *
     * @param owner the class
     * @param entry the entry registered for it
     */
    public static void unregister(Class<?> owner, Entry entry) {
        HANDLES.remove(owner, entry);
    }

    /**
     * Return the running handle of a class.
     *
     * @param owner the class annotated with {@code @WithVolume}
     * @return its entry, when its container runs
     */
    public static Optional<Entry> of(Class<?> owner) {
        return Optional.ofNullable(HANDLES.get(owner));
    }
}
