package dev.stateful.internal.stack;

/**
 * A service's mount.
 *
 * @param kind a named volume or a bind mount
 * @param source the volume's key, or the bind mount's absolute host path
 * @param target the path in the container
 * @param readOnly mounted {@code :ro}
 */
public record VolumeMount(Kind kind, String source, String target, boolean readOnly) {
    /** What is mounted. */
    public enum Kind {
        /** A named volume declared at the top level. */
        VOLUME,
        /** A host file or folder. */
        BIND
    }

    /**
     * Whether this mounts a named volume.
     *
     * @return true for a named volume
     */
    public boolean named() {
        return kind == Kind.VOLUME;
    }
}
