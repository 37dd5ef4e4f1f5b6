package dev.stateful.internal;

import java.util.Objects;
import java.util.function.Function;

/**
 * Not API: how Stateful's own packages (the JUnit layer, the state cache, the Spring integration)
 * reach the {@link Server} behind a handle ({@code dev.stateful.StatefulPostgres}), which its users
 * do not see. The handle's class installs the access when it is loaded (the JDK's "shared secrets"
 * pattern), so code that holds a handle finds it installed. The handle is an {@code Object} here
 * because internals know no API package.
 */
public final class HandleAccess {
    private static volatile Function<Object, Server> servers;

    private HandleAccess() {
    }

    /**
     * Install the access; called once, by the handle's class.
     *
     * @param access gives the server of a handle
     */
    public static void install(Function<Object, Server> access) {
        servers = Objects.requireNonNull(access, "access");
    }

    /**
     * Return the server of a handle.
     *
     * @param handle a {@code StatefulPostgres}
     * @return its server
     */
    public static Server server(Object handle) {
        Objects.requireNonNull(handle, "handle");
        Function<Object, Server> access = servers;
        if (access == null) {
            throw new IllegalStateException("no handle class has installed its access; a handle exists only once it has");
        }
        return access.apply(handle);
    }
}
