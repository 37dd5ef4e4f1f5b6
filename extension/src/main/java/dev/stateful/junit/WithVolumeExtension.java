package dev.stateful.junit;

import dev.stateful.error.ImageException;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.drill.RestoreDrill;
import dev.stateful.cache.StateCache;
import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.internal.ClassHandles;
import dev.stateful.internal.HandleAccess;
import dev.stateful.migrate.MigrationSettings;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.TestAbortedException;

/**
 * Provide the containers of {@link WithVolume @WithVolume}: one per annotated class or method,
 * kept in this extension's store and closed by JUnit at the end of that scope.
 */
final class WithVolumeExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        ParameterResolver, TestInstancePreConstructCallback,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WithVolumeExtension.class);
    private static final int LOG_TAIL_LINES = 50;
    private static final String DRILLS = "drills";

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Optional<WithVolume> annotation = AnnotationSupport.findAnnotation(testClass, WithVolume.class);
        if (annotation.isPresent()) {
            ownHandle(context, testClass);
        } else if (nearestHandle(context).isEmpty()) {
            rejectPreparationWithoutVolume(testClass);
        } else {
            rejectPreparationOnNestedClass(testClass);
        }
    }

    /**
     * Start the class's container before its instance is made: with {@code PER_CLASS}, code that
     * runs while the instance is prepared (Spring's context) already needs the database.
     */
    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        nearestHandle(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        boolean ownContainer = AnnotationSupport.findAnnotation(method, WithVolume.class).isPresent();
        Optional<Preparation> methodState = ownContainer ? Optional.empty()
                : Preparation.of(method, settings(context, Describe.element(method)), context);
        if (ownContainer) {
            ownHandle(context, method);
        }
        // A method with a container of its own does not touch the class's: it runs in parallel with its tests.
        Optional<ManagedHandle> classHandle = ownContainer ? Optional.empty() : nearestClassHandle(context);
        classHandle.ifPresent(ManagedHandle::beforeTestOnce);
        if (methodState.isPresent()) {
            ManagedHandle shared = classHandle.orElseThrow(() -> noVolume(methodState.get().describe()));
            // The method's settings first: its state is migrated with them, and its own migrate calls use them.
            methodState.get().migrationSettings().ifPresent(settings -> useWhileTestRuns(context, shared.handle(), settings));
            shared.prepareForTest(methodState.get());
            methodState.get().reporting().ifPresent(r -> r.publish(context));
        }
    }

    /** A method-level {@code @MigratedTo}'s settings apply to its state and to the handle's own migrate calls within the method. */
    private static void useWhileTestRuns(ExtensionContext context, StatefulPostgres db, MigrationSettings settings) {
        MigrationSettings previous = db.migrations().use(settings);
        context.getStore(NAMESPACE).put("migration-settings", restoreWhenClosed(() -> db.migrations().use(previous)));
    }

    /** A store value that JUnit closes at the end of its scope, on every JUnit from 5.1 on (see {@link ManagedHandle}). */
    private static StoreResource restoreWhenClosed(Runnable action) {
        return action::run;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == StatefulPostgres.class || type == DataSource.class || type == RestoreDrill.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Optional<ManagedHandle> handle;
        try {
            handle = nearestHandle(context);
        } catch (ExtensionConfigurationException e) {
            // A PER_CLASS constructor starts the class's container: report the configuration error
            // itself rather than JUnit's "Failed to resolve parameter" around it.
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        StatefulPostgres db = handle.map(ManagedHandle::handle).orElseThrow(() -> noHandle(parameterContext));
        Class<?> type = parameterContext.getParameter().getType();
        if (type == RestoreDrill.class) {
            RestoreDrill drill = RestoreDrill.of(db);
            drills(context).add(drill);
            return drill;
        }
        return type == DataSource.class ? db.dataSource() : db;
    }

    /**
     * Publish the report of each {@link RestoreDrill} resolved for this test, and discard kept
     * targets; with a new test instance per method, also those resolved for its constructor.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        nearestClassHandle(context).ifPresent(ManagedHandle::testEnded);
        releaseDrills(context, context);
        if (context.getTestInstanceLifecycle().orElse(null) == org.junit.jupiter.api.TestInstance.Lifecycle.PER_METHOD) {
            context.getParent().ifPresent(parent -> releaseDrills(parent, context));
        }
    }

    /** Publish and release the drills resolved for a {@code PER_CLASS} constructor or a lifecycle method. */
    @Override
    public void afterAll(ExtensionContext context) {
        releaseDrills(context, context);
    }

    private static void releaseDrills(ExtensionContext owner, ExtensionContext reportTo) {
        @SuppressWarnings("unchecked")
        List<RestoreDrill> drills = owner.getStore(NAMESPACE).remove(DRILLS, List.class);
        if (drills == null) {
            return;
        }
        for (RestoreDrill drill : drills) {
            drill.lastReport().ifPresent(report -> reportTo.publishReportEntry(report.summary()));
            StatefulPostgres kept = drill.restored();
            if (kept != null) {
                kept.discard();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<RestoreDrill> drills(ExtensionContext context) {
        return StoreValues.getOrCreate(context, NAMESPACE, DRILLS, List.class, ArrayList<RestoreDrill>::new);
    }

    private static ParameterResolutionException noHandle(ParameterContext parameterContext) {
        String what = "No @WithVolume in scope for parameter [" + parameterContext.getParameter() + "] of "
                + Describe.executable(parameterContext);
        if (parameterContext.getDeclaringExecutable() instanceof Constructor) {
            return new ParameterResolutionException(what + "; expected @WithVolume on the test class or an enclosing "
                    + "class, because the constructor runs before the @WithVolume of a test method starts its "
                    + "container. Fix: annotate the class (one container for all its tests), or take the "
                    + "parameter in the test method instead of the constructor.");
        }
        return new ParameterResolutionException(what + "; expected @WithVolume on the test class, an enclosing "
                + "class or this test method. Fix: annotate the class (one container for all its tests) or the "
                + "method with @WithVolume.");
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogTails(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogTails(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogTails(context, throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogTails(context, throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogTails(context, throwable);
    }

    // ------------------------------------------------------------------ handles

    /** Create (once) the handle that belongs to this context's class or method. */
    private static ManagedHandle ownHandle(ExtensionContext context, AnnotatedElement element) {
        return StoreValues.getOrCreate(context, NAMESPACE, keyOf(context), ManagedHandle.class,
                () -> start(context, element));
    }

    /** Return the handle of this context or of the nearest enclosing one. */
    private static Optional<ManagedHandle> nearestHandle(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            ManagedHandle own = c.getStore(NAMESPACE).get(keyOf(c), ManagedHandle.class);
            if (own != null) {
                return Optional.of(own);
            }
            Optional<AnnotatedElement> element = c.getElement();
            boolean annotatedClass = element.filter(Class.class::isInstance)
                    .filter(e -> AnnotationSupport.isAnnotated(e, WithVolume.class)).isPresent();
            if (annotatedClass) {
                // A constructor parameter with PER_CLASS lifecycle is resolved before beforeAll.
                return Optional.of(ownHandle(c, element.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<ManagedHandle> nearestClassHandle(ExtensionContext context) {
        for (ExtensionContext c = context.getParent().orElse(null); c != null; c = c.getParent().orElse(null)) {
            ManagedHandle own = c.getStore(NAMESPACE).get(keyOf(c), ManagedHandle.class);
            if (own != null) {
                return Optional.of(own);
            }
        }
        return Optional.empty();
    }

    private static String keyOf(ExtensionContext context) {
        return "handle:" + context.getUniqueId();
    }

    private static ManagedHandle start(ExtensionContext context, AnnotatedElement element) {
        WithVolume annotation = AnnotationSupport.findAnnotation(element, WithVolume.class).orElseThrow();
        String where = Describe.element(element);
        JUnitVersion.requireLocksWhenParallel(context, where);
        rejectSameVolumeAsEnclosing(context, annotation, where);
        if (element instanceof Class<?> type) {
            rejectInnerScopesSharingTheVolume(type, annotation);
        }
        // Read the settings and @RestoredFrom / @MigratedTo first: a bad one is reported before anything is created.
        StatefulSettings settings = settings(context, where);
        Optional<Preparation> preparation = Preparation.of(element, settings, context);
        CleanupMode cleanup = annotation.cleanup();
        boolean explicitName = !annotation.name().isEmpty();
        if (cleanup == CleanupMode.DEFAULT) {
            cleanup = explicitName ? CleanupMode.NEVER : CleanupMode.ALWAYS;
        }
        boolean shared = element instanceof Class<?> type && SharedServers.shares(settings, annotation, type);
        // A hazard check must observe the migrations on every run: a cache hit would run none.
        StateCache cache = preparation.flatMap(Preparation::reporting).filter(MigrationReporting::failOnHazard).isPresent()
                ? new StateCache(CacheMode.OFF, 1) : StateCache.fromSettings(settings);
        Optional<PreparedServers> stateServer = Optional.empty();
        StatefulPostgres db;
        try {
            if (shared && preparation.isPresent() && cache.mode() != CacheMode.OFF) {
                // A prepared state's shared server starts from the state cache; the class gets a copy of its database.
                stateServer = PreparedServers.of(context, settings, preparation.get());
            }
            // The builder's defaults are the run's settings; an annotation attribute overrides them.
            StatefulPostgres.Builder builder = StatefulPostgres.builder(settings)
                    .nameHint(Describe.hint(element))
                    .durable(annotation.durable())
                    .migrations(Preparation.handleSettings(preparation, settings))
                    .removeVolumeOnClose(cleanup == CleanupMode.ALWAYS);
            if (!annotation.image().isEmpty()) {
                builder.image(annotation.image());
            }
            if (!annotation.database().isEmpty()) {
                builder.database(annotation.database());
            }
            if (!annotation.username().isEmpty()) {
                builder.username(annotation.username());
            }
            if (explicitName) {
                builder.volume(annotation.name());
            }
            if (shared) {
                builder.onServerOf(stateServer.isPresent() ? stateServer.get().server()
                        : SharedServers.serverFor(context, settings)).database(SharedServers.newDatabaseName());
            }
            db = builder.build();
        } catch (InvalidArgumentException | ImageException e) {
            throw new ExtensionConfigurationException("@WithVolume on " + where + ": " + e.getMessage(), e);
        }
        boolean volumeCreatedHere = shared || !explicitName || !HandleAccess.server(db).engine().volumeExists(db.volumeName());
        ManagedHandle.PreparedState prepared = preparation.isPresent()
                ? d -> cache.start(d, preparation.get().cacheKey(d), () -> preparation.get().apply(d))
                : StatefulPostgres::start;
        if (stateServer.isPresent()) {
            PreparedServers server = stateServer.get();
            prepared = d -> server.startClass(d, preparation.get(), cache);
        } else if (shared && preparation.isPresent() && cache.mode() != CacheMode.OFF) {
            // On a shared server the prepared state is built once per run and copied from a template database.
            ManagedHandle.PreparedState build = prepared;
            SharedServers servers = SharedServers.of(context, settings);
            String sharedKeyDatabase = "shared-server-class-database";
            prepared = d -> servers.startPrepared(d, preparation.get().cacheKey(d, sharedKeyDatabase), build);
        }
        ManagedHandle managed = new ManagedHandle(db, cleanup, element instanceof Method ? Reset.NONE : annotation.reset(),
                where, volumeCreatedHere, prepared);
        if (stateServer.isPresent()) {
            PreparedServers server = stateServer.get();
            managed.baselineMadeAheadWith(() -> server.adoptBaseline(db));
        } else if (shared && preparation.isPresent() && cache.mode() != CacheMode.OFF) {
            SharedServers servers = SharedServers.of(context, settings);
            managed.baselineMadeAheadWith(() -> servers.adoptBaseline(db));
        }
        if (element instanceof Class<?> owner) {
            ClassHandles.Entry entry = new ClassHandles.Entry(db, managed::beforeTestOnce);
            ClassHandles.register(owner, entry);
            managed.whenClosed(() -> ClassHandles.unregister(owner, entry));
        }
        try {
            managed.startPrepared();
        } catch (ImageException e) {
            managed.close();
            throw new ExtensionConfigurationException("@WithVolume on " + where + ": " + e.getMessage(), e);
        } catch (RuntimeException | AssertionError e) {
            managed.close();
            throw e;
        }
        preparation.flatMap(Preparation::reporting).ifPresent(r -> r.publish(context));
        return managed;
    }

    /** The run's settings; a bad value fails the class or method here, before anything is created. */
    private static StatefulSettings settings(ExtensionContext context, String where) {
        try {
            return RunSettings.of(context);
        } catch (InvalidArgumentException e) {
            throw new ExtensionConfigurationException("Stateful settings, read for " + where + ": " + e.getMessage(), e);
        }
    }

    private static void rejectPreparationWithoutVolume(Class<?> testClass) {
        for (Class<? extends java.lang.annotation.Annotation> type : java.util.List.of(RestoredFrom.class, MigratedTo.class)) {
            if (AnnotationSupport.isAnnotated(testClass, type)) {
                throw noVolume("@" + type.getSimpleName() + " on " + Describe.element(testClass));
            }
        }
    }

    /**
     * A {@code @Nested} class without its own {@code @WithVolume} shares the enclosing class's
     * container, whose state was built already: class-level preparations there would be ignored.
     */
    private static void rejectPreparationOnNestedClass(Class<?> testClass) {
        for (Class<? extends java.lang.annotation.Annotation> type : java.util.List.of(RestoredFrom.class, MigratedTo.class)) {
            if (AnnotationSupport.isAnnotated(testClass, type)) {
                throw new ExtensionConfigurationException("@" + type.getSimpleName() + " on " + Describe.element(testClass)
                        + ": this class shares the container of an enclosing @WithVolume, whose state is built before "
                        + "it; expected @" + type.getSimpleName() + " next to a @WithVolume. Fix: add @WithVolume to this "
                        + "class (a container of its own), or put @" + type.getSimpleName() + " on its test methods.");
            }
        }
    }

    private static ExtensionConfigurationException noVolume(String what) {
        return new ExtensionConfigurationException(what + ": no @WithVolume in scope; expected @WithVolume on the test "
                + "class, an enclosing class or the method, to provide the database to restore into or migrate. "
                + "Fix: add @WithVolume next to it.");
    }

    /**
     * Two servers on one data directory would corrupt it: a test method or {@code @Nested} class
     * may not name the volume that its class (or an enclosing class) already runs a container
     * on. Checked when the class's container is about to start, so before anything starts.
     */
    private static void rejectInnerScopesSharingTheVolume(Class<?> owner, WithVolume annotation) {
        if (!annotation.name().isEmpty()) {
            rejectInnerScopesSharing(owner, owner, annotation.name(), new HashSet<>());
        }
    }

    private static void rejectInnerScopesSharing(Class<?> owner, Class<?> type, String volume, Set<Class<?>> seen) {
        if (!seen.add(type)) {
            return;
        }
        for (Method method : AnnotationSupport.findAnnotatedMethods(type, WithVolume.class, HierarchyTraversalMode.TOP_DOWN)) {
            if (volume.equals(AnnotationSupport.findAnnotation(method, WithVolume.class).orElseThrow().name())) {
                throw sameVolume(Describe.element(method), volume, Describe.element(owner));
            }
        }
        for (Class<?> nested : ReflectionSupport.findNestedClasses(type, c -> AnnotationSupport.isAnnotated(c, Nested.class))) {
            Optional<WithVolume> nestedAnnotation = AnnotationSupport.findAnnotation(nested, WithVolume.class);
            if (nestedAnnotation.isPresent() && volume.equals(nestedAnnotation.get().name())) {
                throw sameVolume(Describe.element(nested), volume, Describe.element(owner));
            }
            rejectInnerScopesSharing(owner, nested, volume, seen);
        }
    }

    /** The same check at run time, against the containers that enclosing scopes do run. */
    private static void rejectSameVolumeAsEnclosing(ExtensionContext context, WithVolume annotation, String where) {
        if (annotation.name().isEmpty()) {
            return;
        }
        for (ExtensionContext c = context.getParent().orElse(null); c != null; c = c.getParent().orElse(null)) {
            ManagedHandle enclosing = c.getStore(NAMESPACE).get(keyOf(c), ManagedHandle.class);
            if (enclosing != null && enclosing.handle().volumeName().equals(annotation.name())) {
                throw sameVolume(where, annotation.name(), Describe.element(c.getElement().orElseThrow()));
            }
        }
    }

    private static ExtensionConfigurationException sameVolume(String inner, String volume, String owner) {
        return new ExtensionConfigurationException("@WithVolume on " + inner + ": volume '" + volume
                + "' is also the volume of the @WithVolume on " + owner + "; expected a volume of its own, because "
                + "two Postgres servers on one data directory corrupt it. Fix: name another volume here, leave "
                + "the name out to get a generated one, or remove this @WithVolume to use the container of "
                + owner + ".");
    }

    private static Throwable withLogTails(ExtensionContext context, Throwable throwable) {
        if (throwable instanceof TestAbortedException) {
            // An aborted test (a failed assumption) did not fail: no log tail, and ON_SUCCESS still removes.
            return throwable;
        }
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            ManagedHandle managed = c.getStore(NAMESPACE).get(keyOf(c), ManagedHandle.class);
            if (managed != null) {
                managed.markFailed();
                throwable.addSuppressed(new ContainerLogTail(managed.handle(), LOG_TAIL_LINES));
            }
        }
        return throwable;
    }
}
