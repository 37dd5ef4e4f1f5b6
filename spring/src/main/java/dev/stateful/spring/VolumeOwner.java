package dev.stateful.spring;

import dev.stateful.StatefulPostgres;
import dev.stateful.internal.ClassHandles;
import dev.stateful.junit.WithVolume;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.platform.commons.support.AnnotationSupport;

/** Which class's {@code @WithVolume} container a test class uses, found the way the extension finds it. */
final class VolumeOwner {
    private VolumeOwner() {
    }

    /**
     * Return the class whose container {@code testClass} runs on: itself when it has
     * {@code @WithVolume} (directly, inherited or as a meta-annotation), otherwise the nearest
     * enclosing class of a {@code @Nested} class that has one.
     */
    static Optional<Class<?>> of(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            if (AnnotationSupport.isAnnotated(c, WithVolume.class)) {
                return Optional.of(c);
            }
            if (!AnnotationSupport.isAnnotated(c, Nested.class)) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Return the running handle of {@code owner}'s container. */
    static StatefulPostgres handle(Class<?> owner) {
        return ClassHandles.of(owner).map(entry -> (StatefulPostgres) entry.handle())
                .orElseThrow(() -> new IllegalStateException("stateful-spring on " + owner.getName() + ": the "
                        + "@WithVolume container of the class is not running (it has not started yet or was closed "
                        + "after the class); expected the Spring context to be used only while the class runs. Fix: "
                        + "do not keep beans of this context beyond the class, or put @WithVolume before "
                        + "@SpringBootTest if another extension starts the context first."));
    }
}
