package dev.stateful.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;

/**
 * Point a context at the container of one {@code @WithVolume} class: a
 * {@code JdbcConnectionDetails} bean with the handle's URL and credentials (it wins over
 * {@code spring.datasource.*}), and a post-processor that makes Boot's Hikari pool follow the
 * container. Equal only for the same owner class: that is what keeps Spring's context cache
 * from giving one class the context of another class's container. The handle itself does not
 * exist yet when Spring computes the cache key (SpringExtension may run before the
 * {@code @WithVolume} extension), so the key is the owner class, and the context is closed after
 * the class ({@link StatefulTestExecutionListener}) so that no later run of the class finds a
 * context of a container that is gone.
 */
final class StatefulContextCustomizer implements ContextCustomizer {
    private static final Logger LOG = LoggerFactory.getLogger(StatefulContextCustomizer.class);
    private static final String BOOT4_DETAILS = "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails";
    private static final String BOOT3_DETAILS = "org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails";
    private static final String HIKARI = "com.zaxxer.hikari.HikariDataSource";

    private final Class<?> owner;

    StatefulContextCustomizer(Class<?> owner) {
        this.owner = owner;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        String url = context.getEnvironment().getProperty("spring.datasource.url");
        if (url != null && !url.isBlank()) {
            LOG.info("{} has @WithVolume: its DataSource connects to the @WithVolume database; "
                    + "spring.datasource.url={} is not used", owner.getName(), url);
        }
        ClassLoader loader = context.getClassLoader();
        BeanDefinitionRegistry registry = (BeanDefinitionRegistry) context.getBeanFactory();
        RootBeanDefinition details;
        if (ClassUtils.isPresent(BOOT4_DETAILS, loader)) {
            details = Boot4ConnectionDetails.definition(owner);
        } else if (ClassUtils.isPresent(BOOT3_DETAILS, loader)) {
            details = Boot3ConnectionDetails.definition(owner);
        } else {
            throw new IllegalStateException("stateful-spring on " + owner.getName() + ": no JdbcConnectionDetails "
                    + "type on the classpath; expected Spring Boot 3.5's spring-boot-autoconfigure or Spring Boot 4's "
                    + "spring-boot-jdbc. Fix: add spring-boot-starter-jdbc to the test classpath (Boot 4 needs it for "
                    + "connection details and its DataSource auto-configuration).");
        }
        registry.registerBeanDefinition("statefulJdbcConnectionDetails", details);
        if (ClassUtils.isPresent(HIKARI, loader)) {
            RootBeanDefinition follower = new RootBeanDefinition(HikariFollower.class, () -> new HikariFollower(owner));
            follower.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition("statefulHikariFollower", follower);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StatefulContextCustomizer that && that.owner == owner;
    }

    @Override
    public int hashCode() {
        return owner.hashCode();
    }

    @Override
    public String toString() {
        return "StatefulContextCustomizer[" + owner.getName() + "]";
    }
}
