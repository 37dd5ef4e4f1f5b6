package dev.stateful.spring;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Give each {@code @WithVolume} test class a context of its own that talks to its container;
 * return no customizer for other classes, so their contexts are cached and shared as usual.
 * Spring may call it more than once per class: it has no side effects.
 */
public final class StatefulContextCustomizerFactory implements ContextCustomizerFactory {
    /** Created by Spring through {@code META-INF/spring.factories}. */
    public StatefulContextCustomizerFactory() {
    }

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return VolumeOwner.of(testClass).map(StatefulContextCustomizer::new).orElse(null);
    }
}
