package dev.stateful.junit;

import dev.stateful.StatefulSettings;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The settings of one engine run: resolved once from the configuration parameters (which
 * include system properties and {@code junit-platform.properties}) and the environment, and
 * kept in the root context's store, so every class of the run reads the same values.
 */
final class RunSettings {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunSettings.class);

    private RunSettings() {
    }

    /**
     * Return the run's settings.
     *
     * @throws dev.stateful.error.InvalidArgumentException when a value is invalid (again on every call)
     */
    static StatefulSettings of(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return StoreValues.getOrCreate(root, NAMESPACE, StatefulSettings.class, StatefulSettings.class,
                () -> StatefulSettings.fromParameters(root::getConfigurationParameter));
    }
}
