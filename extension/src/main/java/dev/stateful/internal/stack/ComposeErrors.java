package dev.stateful.internal.stack;

import dev.stateful.error.ComposeFileException;
import java.nio.file.Path;

/** Builds the refusals: each names the file, the service and the key, then the problem and the fix. */
final class ComposeErrors {
    private ComposeErrors() {
    }

    /**
     * A refusal.
     *
     * @param file the compose file
     * @param service the service, or null
     * @param key the key, or null
     * @param problem what is wrong and what was expected, as sentences
     * @param fix how to fix it, a sentence without "Fix:"
     * @return the exception to throw
     */
    static ComposeFileException refuse(Path file, String service, String key, String problem, String fix) {
        StringBuilder message = new StringBuilder("Compose file '").append(file).append('\'');
        if (service != null) {
            message.append(", service '").append(service).append('\'');
        }
        if (key != null) {
            message.append(", key '").append(key).append('\'');
        }
        message.append(": ").append(problem).append(" Fix: ").append(fix);
        return new ComposeFileException(message.toString(), file, service, key);
    }
}
