package dev.stateful.spring;

import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;

/**
 * Spring Boot 3's {@code JdbcConnectionDetails} of a {@code @WithVolume} class's database. Kept
 * in a class of its own: it does not load on Boot 4, where this interface is gone.
 */
final class Boot3ConnectionDetails implements JdbcConnectionDetails {
    private final Class<?> owner;

    private Boot3ConnectionDetails(Class<?> owner) {
        this.owner = owner;
    }

    static RootBeanDefinition definition(Class<?> owner) {
        return new RootBeanDefinition(JdbcConnectionDetails.class, () -> new Boot3ConnectionDetails(owner));
    }

    @Override
    public String getUsername() {
        return VolumeOwner.handle(owner).username();
    }

    @Override
    public String getPassword() {
        return VolumeOwner.handle(owner).password();
    }

    @Override
    public String getJdbcUrl() {
        return VolumeOwner.handle(owner).jdbcUrl();
    }
}
