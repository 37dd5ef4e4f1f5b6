package dev.stateful.internal.engine;

import java.util.List;
import java.util.Optional;

/**
 * Hold what Stateful needs to know of an image: its id and its environment.
 *
 * @param reference the reference it was asked for by
 * @param id the image id ({@code sha256:…})
 * @param env the image's environment, {@code KEY=value} entries
 */
public record ImageInfo(String reference, String id, List<String> env) {
    /**
     * Return the value of a variable of the image's environment.
     *
     * @param name variable name
     * @return its value, or empty when the image does not define it
     */
    public Optional<String> envValue(String name) {
        String prefix = name + "=";
        return env.stream().filter(e -> e.startsWith(prefix)).map(e -> e.substring(prefix.length())).findFirst();
    }
}
