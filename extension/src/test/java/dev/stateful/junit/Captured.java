package dev.stateful.junit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Carry values out of example classes run by the test kit (also classes compiled at run time,
 * hence public).
 */
public final class Captured {
    private static final Map<String, List<Object>> VALUES = new ConcurrentHashMap<>();

    private Captured() {
    }

    /**
     * Record a value under a key.
     *
     * @param key what it is
     * @param value the value
     */
    public static void add(String key, Object value) {
        VALUES.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(value);
    }

    static List<Object> all(String key) {
        return List.copyOf(VALUES.getOrDefault(key, List.of()));
    }

    static String only(String key) {
        List<Object> values = all(key);
        if (values.size() != 1) {
            throw new AssertionError("expected one value for " + key + ", got " + values);
        }
        return String.valueOf(values.get(0));
    }

    static Map<String, List<Object>> everything() {
        return Map.copyOf(VALUES);
    }

    static void clear() {
        VALUES.clear();
    }
}
