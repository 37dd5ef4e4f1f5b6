/**
 * The cross-run state cache: a prepared state (restored dump, migrated schema) is kept in a labelled
 * volume under a {@link dev.stateful.cache.CacheKey}, so the next run starts from a copy instead of
 * building it again ({@code cache.start(db, key, build)}). Built on handles, whose server it reaches
 * through the internal seam; the JUnit layer uses it for {@code @WithVolume(cache = ...)}.
 */
package dev.stateful.cache;
