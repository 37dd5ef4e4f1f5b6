package dev.stateful.junit;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ParameterContext;

/** Name test classes and methods the way messages show them: {@code OrderTest.placesOrder()}. */
final class Describe {
    private Describe() {
    }

    static String element(AnnotatedElement element) {
        if (element instanceof Method method) {
            return className(method.getDeclaringClass()) + "." + method.getName() + "()";
        }
        if (element instanceof Class<?> type) {
            return className(type);
        }
        return String.valueOf(element);
    }

    static String executable(ParameterContext parameterContext) {
        Executable executable = parameterContext.getDeclaringExecutable();
        if (executable instanceof Method method) {
            return element(method);
        }
        return "the constructor of " + className(executable.getDeclaringClass());
    }

    static String hint(AnnotatedElement element) {
        if (element instanceof Method method) {
            return method.getDeclaringClass().getSimpleName() + "-" + method.getName();
        }
        return element instanceof Class<?> type ? type.getSimpleName() : "test";
    }

    private static String className(Class<?> type) {
        String name = type.getName();
        int dot = name.lastIndexOf('.');
        return (dot < 0 ? name : name.substring(dot + 1)).replace('$', '.');
    }
}
