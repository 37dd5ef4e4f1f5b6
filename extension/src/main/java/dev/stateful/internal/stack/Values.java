package dev.stateful.internal.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Type checks of YAML values, refusing the wrong type with the key's name. */
final class Values {
    private Values() {
    }

    /**
     * A YAML type as a user names it.
     *
     * @param value a loaded YAML value
     * @return "mapping", "list", "string", "number" or "boolean"
     */
    static String typeName(Object value) {
        if (value instanceof Map) {
            return "mapping";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return value instanceof String ? "string" : value.getClass().getSimpleName();
    }

    /**
     * A scalar as text.
     *
     * @return the string, number or boolean as written
     */
    static String scalar(Path file, String service, String key, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw ComposeErrors.refuse(file, service, key, "the value is " + (value == null ? "empty" : "a " + typeName(value))
                + "; expected a string.", "write a single value for '" + key + "'.");
    }

    /**
     * A list, or a single scalar as a list of one.
     *
     * @return the elements
     */
    static List<?> list(Path file, String service, String key, Object value, boolean scalarAllowed) {
        if (value instanceof List) {
            return (List<?>) value;
        }
        if (scalarAllowed && (value instanceof String || value instanceof Number)) {
            List<Object> one = new ArrayList<>();
            one.add(value);
            return one;
        }
        throw ComposeErrors.refuse(file, service, key, "the value is " + (value == null ? "empty" : "a " + typeName(value))
                + "; expected a list" + (scalarAllowed ? " or a string" : "") + ".", "write '" + key + "' as a YAML list.");
    }

    /**
     * A mapping.
     *
     * @return the mapping
     */
    static Map<?, ?> mapping(Path file, String service, String key, Object value) {
        if (value instanceof Map) {
            return (Map<?, ?>) value;
        }
        throw ComposeErrors.refuse(file, service, key, "the value is " + (value == null ? "empty" : "a " + typeName(value))
                + "; expected a mapping.", "write '" + key + "' as a YAML mapping.");
    }
}
