package dev.stateful.junit;

import dev.stateful.migrate.MigrationReportIndex;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The run's {@link MigrationReportIndex}, kept in the root context's store: JUnit closes it at the
 * end of the run, passed or failed, and the index is written then too.
 *
 * <p>A {@link StoreResource}: every supported JUnit closes it once.
 */
@SuppressWarnings("deprecation")
final class RunReportIndex implements StoreResource {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunReportIndex.class);
    private final MigrationReportIndex index;

    private RunReportIndex(Path root) {
        this.index = new MigrationReportIndex(root);
    }

    /** Return the index of the run this context belongs to, created on first use. */
    static MigrationReportIndex of(ExtensionContext context, Path root) {
        return StoreValues.getOrCreate(context.getRoot(), NAMESPACE, RunReportIndex.class, RunReportIndex.class,
                () -> new RunReportIndex(root)).index;
    }

    @Override
    public void close() {
        index.close();
    }
}
