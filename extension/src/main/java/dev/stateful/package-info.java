/**
 * What a user touches: the {@link dev.stateful.StatefulPostgres} handle and its builder, the
 * settings ({@link dev.stateful.Setting}, {@link dev.stateful.StatefulSettings}), database
 * fingerprints and {@link dev.stateful.CacheMode}.
 *
 * <p>The handle composes the capability packages ({@code migrate}, {@code dump}, {@code snapshot})
 * over its internal server, and hands them out as {@code db.migrations()}, {@code db.dumps()},
 * {@code db.snapshots()} and {@code db.backups()}; the JUnit annotations ({@code junit}), the
 * assertions ({@code assertj}), the state cache ({@code cache}) and restore drills ({@code drill})
 * sit on top of it. Exceptions are in {@code dev.stateful.error}. Nothing public here mentions a
 * type of {@code dev.stateful.internal} ({@code ApiBoundaryTest} checks it).
 */
package dev.stateful;
