package dev.stateful.spring;

import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Spring Boot 4's {@code JdbcConnectionDetails} (in spring-boot-jdbc) of a {@code @WithVolume}
 * class's database. Kept in a class of its own: it does not load on Boot 3.
 */
final class Boot4ConnectionDetails implements JdbcConnectionDetails {
    private final Class<?> owner;

    private Boot4ConnectionDetails(Class<?> owner) {
        this.owner = owner;
    }

    static RootBeanDefinition definition(Class<?> owner) {
        return new RootBeanDefinition(JdbcConnectionDetails.class, () -> new Boot4ConnectionDetails(owner));
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
