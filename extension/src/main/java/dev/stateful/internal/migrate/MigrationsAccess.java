package dev.stateful.internal.migrate;

import dev.stateful.internal.Server;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Not API: let a handle create the migrations of its server, which can also run a migrator
 * image beside it, without a public constructor that takes the internal {@link Server}. The
 * migrations class installs its factory here when it is initialised (the JDK's "shared secrets"
 * pattern); this class knows none of the API's types.
 */
public final class MigrationsAccess {
    private static volatile Factory<?, ?, ?> factory;

    private MigrationsAccess() {
    }

    /**
     * Create the migrations of one server's database.
     *
     * @param <M> the migrations type
     * @param <S> the settings type
     * @param <O> the observation type
     */
    @FunctionalInterface
    public interface Factory<M, S, O> {
        /**
         * Create the migrations.
         *
         * @param server the server, which a migrator image runs beside
         * @param dataSource connects to its database
         * @param settings where the migrations are and how to run them
         * @param observation how the migrations are observed
         * @return the migrations
         */
        M create(Server server, DataSource dataSource, S settings, O observation);
    }

    /**
     * Install the factory; called once, by the migrations class's static initialiser.
     *
     * @param value the factory
     */
    public static void install(Factory<?, ?, ?> value) {
        factory = Objects.requireNonNull(value, "factory");
    }

    /**
     * Create the migrations of a server's database.
     *
     * @param <M> the migrations type
     * @param <S> the settings type
     * @param <O> the observation type
     * @param type the migrations class, initialised here so that it has installed its factory
     * @param server the server
     * @param dataSource connects to its database
     * @param settings the settings
     * @param observation the observation
     * @return the migrations
     */
    @SuppressWarnings("unchecked")
    public static <M, S, O> M create(Class<M> type, Server server, DataSource dataSource, S settings, O observation) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot initialise " + type.getName(), e);
        }
        return type.cast(((Factory<M, S, O>) factory).create(server, dataSource, settings, observation));
    }
}
