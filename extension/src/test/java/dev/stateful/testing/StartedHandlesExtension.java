package dev.stateful.testing;

import dev.stateful.StatefulPostgres;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Start each {@link Started} field of the test class, in declaration order; each started handle
 * is an {@link AutoCloseable} value of the class's store, so JUnit closes it after all tests (and
 * the ones started before a failing start still close).
 */
final class StartedHandlesExtension implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StartedHandlesExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        for (Field field : testClass.getDeclaredFields()) {
            Started started = field.getAnnotation(Started.class);
            if (started == null) {
                continue;
            }
            if (!Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())
                    || field.getType() != StatefulPostgres.class) {
                throw new ExtensionConfigurationException("@Started on " + testClass.getSimpleName() + "." + field.getName()
                        + ": expected a static, non-final StatefulPostgres field. Fix: declare it as "
                        + "'static StatefulPostgres " + field.getName() + ";'.");
            }
            StatefulPostgres.Builder builder = StatefulPostgres.builder()
                    .nameHint(started.nameHint().isEmpty() ? testClass.getSimpleName() : started.nameHint());
            if (!started.image().isEmpty()) {
                builder.image(started.image());
            }
            field.setAccessible(true);
            StatefulPostgres db = builder.start();
            field.set(null, db);
            context.getStore(NAMESPACE).put(field.getName(), (AutoCloseable) () -> {
                field.set(null, null);
                db.close();
            });
        }
    }
}
