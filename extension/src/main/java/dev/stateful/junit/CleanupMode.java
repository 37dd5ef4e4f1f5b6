package dev.stateful.junit;

/**
 * Choose when {@link WithVolume @WithVolume} removes the volume at the end of its scope, as
 * {@code @TempDir}'s cleanup mode does for directories. The container is always removed.
 */
public enum CleanupMode {
    /** {@link #ALWAYS} for a generated volume name, {@link #NEVER} for an explicit one. */
    DEFAULT,
    /** Remove the volume, even one that existed before the test (you asked for it). */
    ALWAYS,
    /** Remove the volume when every test in scope passed; keep it for inspection otherwise. */
    ON_SUCCESS,
    /** Keep the volume, so that a later run finds its data. */
    NEVER
}
