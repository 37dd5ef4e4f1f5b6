package dev.stateful;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sealed API, checked on the built classes: no public or protected member of a public type in
 * an API package (every {@code dev.stateful} package but {@code dev.stateful.internal} and those
 * under it) mentions a type of {@code dev.stateful.internal}, be it as a superclass, an interface, a
 * constructor's or method's parameter, return type or exception, a field's type, a type variable's
 * bound, or a type argument of any of these. Users' code compiles against the API only.
 */
class ApiBoundaryTest {
    private static final String ROOT = "dev.stateful";
    private static final String INTERNAL = "dev.stateful.internal";

    @Test
    void noPublicOrProtectedMemberOfAnApiTypeMentionsAnInternalType() throws Exception {
        List<Class<?>> classes = mainClasses();
        assertThat(classes).as("main classes of the extension").isNotEmpty()
                .contains(StatefulPostgres.class);
        Set<String> violations = new TreeSet<>();
        for (Class<?> type : classes) {
            if (isApiPackage(type.getPackageName()) && isExposed(type)) {
                violations.addAll(violationsOf(type));
            }
        }
        assertThat(violations).as("API members that mention an internal type (move the type out of the API, "
                + "make the member package-private, or give the API its own type)").isEmpty();
    }

    /** The checker itself finds what it must: a parameter, a type argument, a superclass, an exception. */
    @Test
    void theCheckerSeesInternalTypesWhereverTheyHide() {
        assertThat(violationsOf(Leaky.class)).containsExactlyInAnyOrder(
                "dev.stateful.ApiBoundaryTest$Leaky: superclass mentions dev.stateful.internal.UnpooledDataSource",
                "dev.stateful.ApiBoundaryTest$Leaky: interface mentions dev.stateful.internal.Server",
                "dev.stateful.ApiBoundaryTest$Leaky#<init>(Server): parameter mentions dev.stateful.internal.Server",
                "dev.stateful.ApiBoundaryTest$Leaky#get(): return type mentions dev.stateful.internal.Server",
                "dev.stateful.ApiBoundaryTest$Leaky#servers(): return type mentions dev.stateful.internal.Server",
                "dev.stateful.ApiBoundaryTest$Leaky#take(Supplier): parameter mentions dev.stateful.internal.Server",
                "dev.stateful.ApiBoundaryTest$Leaky#bounded(Server): parameter mentions dev.stateful.internal.Server",
                "dev.stateful.ApiBoundaryTest$Leaky#bounded(Server): type variable mentions dev.stateful.internal.Server",
                "dev.stateful.ApiBoundaryTest$Leaky#fail(): exception mentions dev.stateful.internal.pg.Readiness$RejectedLoginException",
                "dev.stateful.ApiBoundaryTest$Leaky#server: field type mentions dev.stateful.internal.Server");
        assertThat(violationsOf(Sealed.class)).isEmpty();
    }

    private static boolean isApiPackage(String pkg) {
        return (pkg.equals(ROOT) || pkg.startsWith(ROOT + ".")) && !pkg.equals(INTERNAL) && !pkg.startsWith(INTERNAL + ".");
    }

    /** Public or protected, and so is every class it is nested in. */
    private static boolean isExposed(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) && !Modifier.isProtected(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isExposed(Member member) {
        return !member.isSynthetic() && (Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers()));
    }

    static List<String> violationsOf(Class<?> type) {
        List<String> found = new ArrayList<>();
        String name = type.getName();
        check(found, name, "superclass", type.getGenericSuperclass());
        for (Type i : type.getGenericInterfaces()) {
            check(found, name, "interface", i);
        }
        for (TypeVariable<?> v : type.getTypeParameters()) {
            check(found, name, "type variable", v);
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (isExposed(c)) {
                checkExecutable(found, name + "#<init>" + parameters(c), c);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (isExposed(m) && !m.isBridge()) {
                String where = name + "#" + m.getName() + parameters(m);
                checkExecutable(found, where, m);
                check(found, where, "return type", m.getGenericReturnType());
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (isExposed(f)) {
                check(found, name + "#" + f.getName(), "field type", f.getGenericType());
            }
        }
        return found;
    }

    private static void checkExecutable(List<String> found, String where, Executable e) {
        for (Type p : e.getGenericParameterTypes()) {
            check(found, where, "parameter", p);
        }
        // the raw types too: an inner class's constructor has its outer instance only there
        for (Class<?> p : e.getParameterTypes()) {
            check(found, where, "parameter", p);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(found, where, "exception", x);
        }
        for (TypeVariable<?> v : e.getTypeParameters()) {
            check(found, where, "type variable", v);
        }
    }

    private static void check(List<String> found, String where, String role, Type type) {
        Set<String> internal = new TreeSet<>();
        internalTypes(type, internal, Collections.newSetFromMap(new IdentityHashMap<>()));
        for (String t : internal) {
            String violation = where + ": " + role + " mentions " + t;
            if (!found.contains(violation)) {
                found.add(violation);
            }
        }
    }

    private static void internalTypes(Type type, Set<String> into, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            String pkg = c.getPackageName();
            if (pkg.equals(INTERNAL) || pkg.startsWith(INTERNAL + ".")) {
                into.add(c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            internalTypes(p.getRawType(), into, seen);
            internalTypes(p.getOwnerType(), into, seen);
            for (Type a : p.getActualTypeArguments()) {
                internalTypes(a, into, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                internalTypes(b, into, seen);
            }
            for (Type b : w.getLowerBounds()) {
                internalTypes(b, into, seen);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                internalTypes(b, into, seen);
            }
        } else if (type instanceof GenericArrayType a) {
            internalTypes(a.getGenericComponentType(), into, seen);
        }
    }

    private static String parameters(Executable e) {
        return Arrays.stream(e.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")"));
    }

    /** Every class of the extension's main code, loaded without initialising it. */
    private static List<Class<?>> mainClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(StatefulPostgres.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().collect(Collectors.toList())) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (relative.endsWith("module-info.class") || relative.endsWith("package-info.class")) {
                    continue;
                }
                String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                classes.add(Class.forName(name, false, ApiBoundaryTest.class.getClassLoader()));
            }
        }
        return classes;
    }

    /** A type that breaks every rule, for the checker's own test. */
    @SuppressWarnings("unused")
    public static class Leaky extends dev.stateful.internal.UnpooledDataSource implements java.util.function.Supplier<dev.stateful.internal.Server> {
        public dev.stateful.internal.Server server;
        protected int fine;
        private dev.stateful.internal.Server hidden;

        public Leaky(dev.stateful.internal.Server server) {
            this.server = server;
        }

        @Override
        public dev.stateful.internal.Server get() {
            return server;
        }

        @Override
        public java.sql.Connection getConnection() {
            return null;
        }

        @Override
        public java.sql.Connection getConnection(String user, String password) {
            return null;
        }

        public List<? extends dev.stateful.internal.Server> servers() {
            return List.of();
        }

        public void take(java.util.function.Supplier<? super dev.stateful.internal.Server> s) {
        }

        public <T extends dev.stateful.internal.Server> void bounded(T t) {
        }

        public void fail() throws dev.stateful.internal.pg.Readiness.RejectedLoginException {
        }

        void packagePrivate(dev.stateful.internal.Server s) {
        }
    }

    /** A type that mentions internals only where users cannot see them. */
    @SuppressWarnings("unused")
    public static final class Sealed {
        private dev.stateful.internal.Server server;

        Sealed(dev.stateful.internal.Server server) {
            this.server = server;
        }

        public String name() {
            return "sealed";
        }
    }
}
