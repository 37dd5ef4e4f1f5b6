package dev.stateful.internal.stack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compose's variable substitution in a value: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR-default}}, {@code ${VAR:?message}}, {@code ${VAR?message}} and {@code $$} for a
 * literal {@code $}. Variables come from the environment, then the {@code .env} file beside the
 * compose file. Unlike Compose, which substitutes an empty string with a warning, an unset
 * variable without a default is refused: a test must not run against a half-configured stack.
 */
final class Interpolation {
    private final Path file;
    private final Function<String, Optional<String>> environment;
    private final Map<String, String> dotEnv;

    /**
     * @param file the compose file, for the messages
     * @param environment the process environment
     * @param dotEnv the variables of the {@code .env} file beside it
     */
    Interpolation(Path file, Function<String, Optional<String>> environment, Map<String, String> dotEnv) {
        this.file = file;
        this.environment = environment;
        this.dotEnv = dotEnv;
    }

    /**
     * The value of a variable: the environment's, else the {@code .env} file's.
     *
     * @param name the variable
     * @return its value, empty when unset
     */
    Optional<String> variable(String name) {
        Optional<String> value = environment.apply(name);
        return value.isPresent() ? value : Optional.ofNullable(dotEnv.get(name));
    }

    /**
     * Substitute the variables of one value.
     *
     * @param value the raw value
     * @param service the service it belongs to, or null
     * @param key the key it is the value of
     * @return the value with every variable substituted
     */
    String apply(String value, String service, String key) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < value.length() && value.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (i + 1 < value.length() && value.charAt(i + 1) == '{') {
                int end = closingBrace(value, i + 2);
                if (end < 0) {
                    throw invalid(value, service, key);
                }
                out.append(braced(value.substring(i + 2, end), value, service, key));
                i = end + 1;
            } else {
                int end = i + 1;
                while (end < value.length() && nameChar(value.charAt(end), end == i + 1)) {
                    end++;
                }
                if (end == i + 1) {
                    throw invalid(value, service, key);
                }
                String name = value.substring(i + 1, end);
                out.append(variable(name).orElseThrow(() -> unset(name, service, key)));
                i = end;
            }
        }
        return out.toString();
    }

    private String braced(String inside, String whole, String service, String key) {
        int n = 0;
        while (n < inside.length() && nameChar(inside.charAt(n), n == 0)) {
            n++;
        }
        if (n == 0) {
            throw invalid(whole, service, key);
        }
        String name = inside.substring(0, n);
        String rest = inside.substring(n);
        Optional<String> value = variable(name);
        if (rest.isEmpty()) {
            return value.orElseThrow(() -> unset(name, service, key));
        }
        boolean colon = rest.startsWith(":");
        String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
        String argument = rest.substring(colon ? 2 : 1);
        boolean missing = value.isEmpty() || (colon && value.get().isEmpty());
        switch (op) {
            case "-":
                return missing ? apply(argument, service, key) : value.get();
            case "?":
                if (missing) {
                    String message = apply(argument, service, key);
                    throw ComposeErrors.refuse(file, service, key, "variable '" + name + "' is "
                            + (value.isEmpty() ? "not set" : "empty") + ", and the file requires it"
                            + (message.isEmpty() ? "" : ": " + message) + ".",
                            "set " + name + " in the environment or in the .env file beside the compose file.");
                }
                return value.get();
            case "+":
                return missing ? "" : apply(argument, service, key);
            default:
                throw invalid(whole, service, key);
        }
    }

    private static int closingBrace(String value, int from) {
        int depth = 1;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean nameChar(char c, boolean first) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    private RuntimeException unset(String name, String service, String key) {
        return ComposeErrors.refuse(file, service, key, "variable '" + name + "' is not set and has no default; "
                + "expected it in the environment or in the .env file beside the compose file.",
                "set " + name + ", or give a default: ${" + name + ":-value}.");
    }

    private RuntimeException invalid(String value, String service, String key) {
        return ComposeErrors.refuse(file, service, key, "'" + value + "' is not a valid substitution; expected $VAR, "
                + "${VAR}, ${VAR:-default} or ${VAR:?message}.", "write $$ for a literal $.");
    }
}
