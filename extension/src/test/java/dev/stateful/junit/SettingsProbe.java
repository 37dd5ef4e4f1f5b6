package dev.stateful.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Run example classes in a JVM of its own, whose environment and {@code junit-platform.properties}
 * the parent chose, and print what happened: {@code FAILURE <class>: <message>} and
 * {@code CAPTURED <key>=<values>} lines.
 */
public final class SettingsProbe {
    static final String FAILURE = "FAILURE ";
    static final String CAPTURED = "CAPTURED ";

    private SettingsProbe() {
    }

    /** The system property naming the directory a probe and its parent exchange signal files in. */
    static final String DIR = "stateful.test.probe-dir";

    /**
     * Start the classes in a JVM of their own on the engine {@code dockerHost}, in class-name
     * order, their output in {@code dir/probe.out}; {@code STATEFUL_*} variables other than the
     * image are not passed on, so only what the caller sets in {@code env} applies.
     */
    static Process launch(Path dir, String dockerHost, java.util.Map<String, String> env, Class<?>... classes)
            throws IOException {
        Path resources = Files.createDirectories(dir.resolve("resources"));
        Files.writeString(resources.resolve("junit-platform.properties"),
                "junit.jupiter.testclass.order.default=org.junit.jupiter.api.ClassOrderer$ClassName\n");
        List<String> argv = new java.util.ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-D" + DIR + "=" + dir, "-Duser.home=" + dir,
                "-cp", resources + File.pathSeparator + System.getProperty("java.class.path"), SettingsProbe.class.getName()));
        for (Class<?> c : classes) {
            argv.add(c.getName());
        }
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output(dir).toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_") || (k.startsWith("STATEFUL_")
                && !k.equals("STATEFUL_IMAGE")));
        pb.environment().put("DOCKER_HOST", dockerHost);
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The output file of a probe started by {@link #launch}. */
    static Path output(Path dir) {
        return dir.resolve("probe.out");
    }

    /** The signal directory, inside a probe's JVM. */
    static Path probeDir() {
        return Path.of(System.getProperty(DIR));
    }

    /** Wait for a signal file, at most {@code seconds}; the failure shows the probe's output so far. */
    static void awaitFile(Path file, Path output, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file.getFileName() + " did not appear within " + seconds + " s; probe output:\n"
                        + Files.readString(output));
            }
            Thread.sleep(50);
        }
    }

    /** The first line of each suppressed exception (the container's log tail says what became of it). */
    private static String suppressed(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable x : t.getSuppressed()) {
            s.append(" | suppressed: ").append(String.valueOf(x.getMessage()).lines().findFirst().orElse(""));
        }
        return s.toString();
    }

    public static void main(String[] args) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(true); // junit-platform.properties, as in a user's run
        for (String name : args) {
            kit.selectors(selectClass(name));
        }
        List<Event> failed = kit.execute()
                .allEvents().failed().list();
        for (Event event : failed) {
            event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(t -> System.out.println(FAILURE + t.getClass().getName() + ": "
                            + String.valueOf(t.getMessage()).replace('\n', ' ') + suppressed(t)));
        }
        new TreeMap<>(Captured.everything()).forEach((k, v) -> System.out.println(CAPTURED + k + "=" + v));
        System.out.flush();
        System.exit(0);
    }
}
