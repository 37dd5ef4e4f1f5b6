package dev.stateful.junit;

import dev.stateful.error.StatefulException;
import dev.stateful.stack.StatefulStack;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** Starts the stack of a class's {@link WithStack}, resets it before each test, closes it after the class. */
final class WithStackExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WithStackExtension.class);
    private static final String STACK = "stack";
    private static final String BASELINE = "baseline";

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<WithStack> annotation = own(context);
        if (annotation.isEmpty()) {
            return;
        }
        String where = "@WithStack on " + context.getRequiredTestClass().getSimpleName();
        Path file = composeFile(annotation.get().compose(), where);
        try {
            StatefulStack stack = StatefulStack.fromCompose(file).services(annotation.get().services())
                    .nameHint(context.getRequiredTestClass().getSimpleName()).start();
            context.getStore(NAMESPACE).put(STACK, stack);
        } catch (StatefulException e) {
            throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext owner = ownerOf(context);
        if (owner == null) {
            return;
        }
        WithStack annotation = own(owner).orElseThrow();
        if (annotation.reset() == Reset.NONE) {
            return;
        }
        StatefulStack stack = owner.getStore(NAMESPACE).get(STACK, StatefulStack.class);
        if (owner.getStore(NAMESPACE).get(BASELINE) == null) {
            stack.takeBaseline();
            owner.getStore(NAMESPACE).put(BASELINE, Boolean.TRUE);
        } else {
            stack.resetToBaseline();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (own(context).isPresent()) {
            StatefulStack stack = context.getStore(NAMESPACE).remove(STACK, StatefulStack.class);
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == StatefulStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext owner = ownerOf(context);
        if (owner == null) {
            throw new ParameterResolutionException("No @WithStack in scope for parameter [" + parameter.getParameter()
                    + "]; expected @WithStack on the test class or an enclosing class. Fix: annotate the class.");
        }
        return owner.getStore(NAMESPACE).get(STACK, StatefulStack.class);
    }

    /** The nearest context (this one or an enclosing class's) whose class carries its own {@code @WithStack}. */
    private static ExtensionContext ownerOf(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestClass().isPresent() && c.getTestMethod().isEmpty() && own(c).isPresent()
                    && c.getStore(NAMESPACE).get(STACK) != null) {
                return c;
            }
        }
        return null;
    }

    private static Optional<WithStack> own(ExtensionContext context) {
        return context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, WithStack.class));
    }

    private static Path composeFile(String compose, String where) {
        if (!compose.startsWith("classpath:")) {
            return Path.of(compose);
        }
        String resource = compose.substring("classpath:".length()).replaceFirst("^/", "");
        URL url = Thread.currentThread().getContextClassLoader().getResource(resource);
        if (url == null || !url.getProtocol().equals("file")) {
            throw new ExtensionConfigurationException(where + ": compose file '" + compose + "' is "
                    + (url == null ? "not on the classpath" : "inside a jar (" + url + ")") + "; expected a file in a "
                    + "folder, because bind mounts and .env resolve against its folder. Fix: put it under "
                    + "src/test/resources, or give a path relative to the module's folder.");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new ExtensionConfigurationException(where + ": compose file '" + compose + "': " + e.getMessage(), e);
        }
    }
}
