/**
 * What a user touches: the {@link dev.stateful.StatefulPostgres} handle and its builder, the
 * settings ({@link dev.stateful.Setting}, {@link dev.stateful.StatefulSettings}), database
 * fingerprints, {@link dev.stateful.BackupKind} and {@link dev.stateful.CacheMode}.
 *
 * <p>The handle composes the capability packages ({@code migrate}, {@code dump}, {@code snapshot})
 * over the internal {@code Server} view of itself; the JUnit annotations ({@code junit}), the
 * assertions ({@code assertj}), the state cache ({@code cache}) and restore drills ({@code drill})
 * sit on top of it. Exceptions are in {@code dev.stateful.error}.
 */
package dev.stateful;
