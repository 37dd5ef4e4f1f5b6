package dev.stateful;

/**
 * Whether a {@code @WithVolume} class gets a Postgres server of its own or a database of its own
 * on a server shared by the run (setting {@code stateful.server}).
 */
public enum ServerMode {
    /** A server (container and volume) of its own for every class. */
    OWN,
    /**
     * The default: one server per run and image; each class that needs nothing of the server's
     * own gets a database of its own on it, dropped after the class. A class with
     * {@code ownServer = true}, a volume name, {@code durable = true}, an image, a database or a
     * username of its own, or whose code calls an operation on the whole server (such as
     * {@code restart()}), still gets its own server.
     */
    SHARED
}
