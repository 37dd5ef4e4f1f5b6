/**
 * Not API: the implementation of {@link dev.stateful.cache} beyond the engine's volumes.
 * {@code CacheArchive} is the file format of an exported entry (a manifest header, then the
 * data directory as a gzip-compressed tar) and checks one; {@code DirectoryStore} writes and reads
 * them in {@code stateful.cache.dir}, streaming the data through helper containers and the Docker
 * archive API. These classes may change in any release.
 */
package dev.stateful.internal.cache;
