package dev.stateful.junit;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A value kept in a JUnit store that must be closed when its scope ends, on every JUnit Stateful
 * supports: JUnit 5.10 to 5.12 close only {@code CloseableResource} values, 5.13 and later prefer
 * {@code AutoCloseable} ones (and warn about a value that is only a {@code CloseableResource}).
 * Each JUnit closes such a value once.
 */
@SuppressWarnings("deprecation") // ExtensionContext.Store.CloseableResource: closed by every JUnit from 5.1 to 6.x
interface StoreResource extends ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    void close();
}
