/**
 * The cross-run state cache: a prepared state (restored dump, migrated schema) is kept in a labelled
 * volume under a {@link dev.stateful.cache.CacheKey}, so the next run starts from a copy instead of
 * building it again. Works on a handle's {@link dev.stateful.internal.Server} view, never on the
 * handle; the JUnit layer uses it for {@code @WithVolume(cache = ...)}.
 */
package dev.stateful.cache;
