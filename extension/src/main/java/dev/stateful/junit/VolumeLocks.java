package dev.stateful.junit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Declare the JUnit resource locks of {@link WithVolume @WithVolume}, so that parallel execution
 * never runs two servers on one data directory nor resets a database under another test:
 * <ul>
 *   <li>an explicit volume name is a lock ({@value #VOLUME_PREFIX}{@code <name>}): two classes or
 *       methods naming the same volume run one after the other;</li>
 *   <li>the test methods that share a class-level handle hold a lock on that handle
 *       ({@value #HANDLE_PREFIX}{@code <class>}): the reset before one test never ends another
 *       test's session. Methods with a {@code @WithVolume} of their own do not share it, and
 *       still run in parallel.</li>
 * </ul>
 */
final class VolumeLocks implements ResourceLocksProvider {
    /** The read lock every {@code @WithVolume} scope holds: it keeps JUnit 5.10 and 5.11, which require a value, working. */
    static final String STATEFUL = "dev.stateful";
    static final String VOLUME_PREFIX = "dev.stateful.volume:";
    static final String HANDLE_PREFIX = "dev.stateful.handle:";

    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        return volumeLock(AnnotationSupport.findAnnotation(testClass, WithVolume.class));
    }

    @Override
    public Set<Lock> provideForNestedClass(List<Class<?>> enclosingInstanceTypes, Class<?> testClass) {
        return volumeLock(AnnotationSupport.findAnnotation(testClass, WithVolume.class));
    }

    @Override
    public Set<Lock> provideForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
        Optional<WithVolume> own = AnnotationSupport.findAnnotation(testMethod, WithVolume.class);
        if (own.isPresent()) {
            return volumeLock(own);
        }
        List<Class<?>> scopes = new ArrayList<>(enclosingInstanceTypes);
        scopes.add(testClass);
        for (int i = scopes.size() - 1; i >= 0; i--) {
            if (AnnotationSupport.isAnnotated(scopes.get(i), WithVolume.class)) {
                return Set.of(new Lock(HANDLE_PREFIX + scopes.get(i).getName(), ResourceAccessMode.READ_WRITE));
            }
        }
        return Set.of();
    }

    private static Set<Lock> volumeLock(Optional<WithVolume> annotation) {
        Set<Lock> locks = new HashSet<>();
        annotation.map(WithVolume::name).filter(name -> !name.isEmpty())
                .ifPresent(name -> locks.add(new Lock(VOLUME_PREFIX + name, ResourceAccessMode.READ_WRITE)));
        return locks;
    }
}
