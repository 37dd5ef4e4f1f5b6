package dev.stateful.internal.stack;

import java.util.Optional;

/**
 * A named volume declared under the top-level {@code volumes:} key.
 *
 * @param key the key services mount it by
 * @param name the {@code name:} the file gives it, if any (Stateful still names its copy per class)
 */
public record ComposeVolume(String key, Optional<String> name) {
}
