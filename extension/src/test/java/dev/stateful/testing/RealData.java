package dev.stateful.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * Where the real public data lives (dumps, migrations and changelogs of other projects, kept out
 * of this repository): a folder named by a system property or an environment variable, else
 * {@code ../shared/<name>} beside the project root, the directory holding the parent pom, found
 * by walking up from the working directory (Maven runs each module's tests in the module).
 * When the data is missing, a test is skipped on a developer's machine and fails in CI
 * ({@code CI=true}), where a skip would hide that the real data was never read.
 */
public final class RealData {
    private static final String PARENT_ARTIFACT = "<artifactId>stateful-parent</artifactId>";

    private RealData() {
    }

    /**
     * Return the configured folder, or {@code ../shared/<name>} beside the project root.
     *
     * @param property the system property that names the folder
     * @param env the environment variable that names it
     * @param name the folder's name under {@code ../shared}
     * @return the folder, which need not exist
     */
    public static Path folder(String property, String env, String name) {
        String configured = System.getProperty(property, System.getenv(env));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return projectRoot().resolve("../shared").resolve(name).normalize();
    }

    /**
     * Return the project root: the nearest directory, from the working directory up, whose
     * {@code pom.xml} is Stateful's parent pom (the one that lists the modules).
     *
     * @return the project root
     */
    public static Path projectRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                // The parent pom lists the modules; a module's pom names stateful-parent as its parent.
                if (Files.isRegularFile(pom) && Files.readString(pom).contains(PARENT_ARTIFACT)
                        && Files.readString(pom).contains("<modules>")) {
                    return dir;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("No Stateful parent pom in " + start + " or above it; run from the project");
    }

    /**
     * Go on when the data is there; otherwise skip the test, or fail it in CI.
     *
     * @param present whether the data was found
     * @param missing what is missing, where it was looked for and how to get it
     */
    public static void require(boolean present, Supplier<String> missing) {
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionFailedError("Real data missing in CI (CI=true): " + missing.get());
        }
        assumeTrue(present, missing);
    }
}
