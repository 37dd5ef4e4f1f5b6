/**
 * Not API: the implementation of {@link dev.stateful.cache} beyond the engine's volumes.
 * {@code CacheArchive} is the file format of an exported entry (a manifest header, then the
 * data directory as a tar, gzip-compressed by default) and checks one; {@code DirectoryStore} writes and reads
 * them in {@code stateful.cache.dir}, streaming the data through helper containers and the Docker
 * archive API; {@code RegistryStore} pushes and pulls them as images; {@code WalSegments} tells which WAL
 * segments a clean shutdown does not need. These classes may change in any release.
 */
package dev.stateful.internal.cache;
