package dev.stateful.internal;

import java.util.Objects;

/**
 * Not API: what Stateful's own packages reach behind a handle ({@code dev.stateful.StatefulPostgres})
 * that its users do not: the {@link Server} it runs on, and the migration settings its own
 * {@code migrate()} calls use. The handle's class installs the seam when it is loaded, so any code
 * that holds a handle finds it installed. Typed by the caller ({@code Object} here), since internals
 * know no API package.
 */
public final class HandleSeam {
    /** What the handle's class gives. */
    public interface Access {
        /**
         * Return the server of a handle.
         *
         * @param handle a {@code StatefulPostgres}
         * @return its server
         */
        Server server(Object handle);

        /**
         * Replace the migration settings the handle's own migrate calls use.
         *
         * @param handle a {@code StatefulPostgres}
         * @param settings a {@code MigrationSettings}
         * @return the settings used until now
         */
        Object useMigrationSettings(Object handle, Object settings);
    }

    private static volatile Access access;

    private HandleSeam() {
    }

    /**
     * Install the seam; called once, by the handle's class.
     *
     * @param seam the handle's access
     */
    public static void install(Access seam) {
        access = Objects.requireNonNull(seam, "seam");
    }

    /**
     * Return the server of a handle.
     *
     * @param handle a {@code StatefulPostgres}
     * @return its server
     */
    public static Server server(Object handle) {
        return access().server(Objects.requireNonNull(handle, "handle"));
    }

    /**
     * Replace the migration settings the handle's own migrate calls use.
     *
     * @param handle a {@code StatefulPostgres}
     * @param settings a {@code MigrationSettings}
     * @param <M> {@code MigrationSettings}
     * @return the settings used until now
     */
    @SuppressWarnings("unchecked")
    public static <M> M useMigrationSettings(Object handle, M settings) {
        return (M) access().useMigrationSettings(Objects.requireNonNull(handle, "handle"), settings);
    }

    private static Access access() {
        Access seam = access;
        if (seam == null) {
            throw new IllegalStateException("no handle class has installed the seam; a handle exists only once it has");
        }
        return seam;
    }
}
