package dev.stateful.stack;

import dev.stateful.DatabaseFingerprint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of every store of a stack, by service: a Postgres service's
 * {@link DatabaseFingerprint}; a Redis service's keys ({@code db0 cart:1} to
 * {@code hash {a=1} ttl:no}); any other service's named-volume files ({@code uploads:/img/1.png} to
 * {@code size 1024 mode 644 sha256 ...}).
 */
public final class StackFingerprint {
    private final Map<String, Object> services;

    StackFingerprint(Map<String, Object> services) {
        this.services = Collections.unmodifiableMap(new TreeMap<>(services));
    }

    /**
     * The fingerprint of each service, by name: a {@link DatabaseFingerprint} for Postgres, a
     * {@code SortedMap<String, String>} of keys or files for the others.
     *
     * @return service name to its fingerprint
     */
    public Map<String, ?> services() {
        return services;
    }

    /**
     * Every difference from this fingerprint to another, one readable line each, prefixed with the service.
     *
     * @param other the later fingerprint
     * @return the differences, empty when equal
     */
    public List<String> diff(StackFingerprint other) {
        List<String> lines = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(services.keySet());
        names.addAll(other.services.keySet());
        for (String name : names) {
            Object before = services.get(name);
            Object after = other.services.get(name);
            if (before == null || after == null) {
                lines.add(name + ": service " + (before == null ? "added" : "removed"));
            } else if (before instanceof DatabaseFingerprint && after instanceof DatabaseFingerprint) {
                ((DatabaseFingerprint) before).diff((DatabaseFingerprint) after).forEach(d -> lines.add(name + ": " + d));
            } else if (!before.equals(after)) {
                diffMaps(name, (Map<?, ?>) before, (Map<?, ?>) after, lines);
            }
        }
        return lines;
    }

    private static void diffMaps(String service, Map<?, ?> before, Map<?, ?> after, List<String> lines) {
        TreeSet<String> keys = new TreeSet<>();
        before.keySet().forEach(k -> keys.add(String.valueOf(k)));
        after.keySet().forEach(k -> keys.add(String.valueOf(k)));
        for (String key : keys) {
            Object b = before.get(key);
            Object a = after.get(key);
            if (b == null) {
                lines.add(service + ": " + key + " added (" + a + ")");
            } else if (a == null) {
                lines.add(service + ": " + key + " removed (was " + b + ")");
            } else if (!a.equals(b)) {
                lines.add(service + ": " + key + " changed: " + b + " -> " + a);
            }
        }
    }

    /**
     * Whether a service's store holds anything: rows, keys or files.
     *
     * @param service the service
     * @return true when it holds data
     */
    boolean hasData(String service) {
        Object value = services.get(service);
        if (value instanceof DatabaseFingerprint) {
            return ((DatabaseFingerprint) value).totalRows() > 0;
        }
        return value instanceof Map && !((Map<?, ?>) value).isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StackFingerprint && ((StackFingerprint) o).services.equals(services);
    }

    @Override
    public int hashCode() {
        return Objects.hash(services);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("StackFingerprint");
        services.forEach((name, value) -> out.append("\n  ").append(name).append(": ")
                .append(value instanceof Map ? ((Map<?, ?>) value).size() + " entries" : value.toString().lines().findFirst().orElse("")));
        return out.toString();
    }
}
