package dev.stateful.spring;

import dev.stateful.internal.ClassHandles;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Reset a {@code @WithVolume} class's database before Spring opens a test's transaction, and
 * close the class's context after the class.
 *
 * <p>Runs before {@code TransactionalTestExecutionListener} (order 4000): with
 * {@code @SpringBootTest} before {@code @WithVolume}, Spring's callbacks come first, and a reset
 * after the transaction began would end the transaction's connection. The reset is the class's
 * own (baseline on the first test, restore on later ones); the extension's later call in the
 * same test finds nothing written and does nothing.
 *
 * <p>After the class its context is closed: it points at a container that is about to be
 * removed, and a cached one would keep its pool trying to reconnect.
 */
public final class StatefulTestExecutionListener implements TestExecutionListener, Ordered {
    /** Runs before Spring's transactional listener (4000). */
    public static final int ORDER = 3900;

    /** Created by Spring through {@code META-INF/spring.factories}. */
    public StatefulTestExecutionListener() {
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        VolumeOwner.of(testContext.getTestClass()).flatMap(ClassHandles::of)
                .ifPresent(entry -> entry.beforeTest().run());
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        Class<?> testClass = testContext.getTestClass();
        // A @Nested class shares its owner's context: only the owner's end closes it.
        if (VolumeOwner.of(testClass).filter(owner -> owner == testClass).isPresent()) {
            testContext.markApplicationContextDirty(DirtiesContext.HierarchyMode.EXHAUSTIVE);
        }
    }
}
