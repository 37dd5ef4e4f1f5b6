package dev.stateful.error;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A compose file that Stateful refuses to run: not YAML, a service with only {@code build:}, an
 * unset variable without a default, a named volume that is not declared, or a key that would
 * change behaviour and is not supported. Raised while reading the file, before any container or
 * volume exists; the message names the file, the service and the key.
 */
public class ComposeFileException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String service;
    private final String key;

    /**
     * Create the exception.
     *
     * @param message what went wrong and how to fix it
     * @param file the compose file (or the env file it names)
     * @param service the service concerned, or {@code null} for a top-level key
     * @param key the key concerned (dotted, such as {@code environment.DB_PASSWORD}), or {@code null}
     */
    public ComposeFileException(String message, Path file, String service, String key) {
        super(message);
        this.file = file;
        this.service = service;
        this.key = key;
    }

    /**
     * The compose file the refusal is about.
     *
     * @return its path, as given
     */
    public Path file() {
        return file;
    }

    /**
     * The service the refusal is about.
     *
     * @return the service's name, empty for the file or a top-level key
     */
    public Optional<String> service() {
        return Optional.ofNullable(service);
    }

    /**
     * The key the refusal is about.
     *
     * @return the key, dotted below the service (such as {@code environment.DB_PASSWORD}), empty for the file as a whole
     */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }
}
