package dev.stateful.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A probe in a JVM of its own: this test's classpath, minus the jars a user's project would not have,
 * with JVM options (a small heap); its output is read back whole. The probe's {@code main} prints what
 * the test checks, often with {@link #runAndPrint(Class...)}.
 */
public final class ProbeJvm {
    private final List<String> leftOutJarPrefixes = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();

    private ProbeJvm() {
    }

    /** @return a probe JVM with this test's whole classpath */
    public static ProbeJvm withThisClasspath() {
        return new ProbeJvm();
    }

    /**
     * @param jarPrefixes file name prefixes of the jars left out (each must match one jar)
     * @return this probe
     */
    public ProbeJvm without(String... jarPrefixes) {
        leftOutJarPrefixes.addAll(Arrays.asList(jarPrefixes));
        return this;
    }

    /**
     * @param options JVM options, such as {@code -Xmx48m}
     * @return this probe
     */
    public ProbeJvm options(String... options) {
        jvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    /**
     * Run {@code main}'s {@code main} method in the probe JVM, with the state cache off, and fail when it
     * does not end within the deadline or exits with another code than 0.
     *
     * @param dir where the output file is written
     * @param main the class whose {@code main} runs
     * @param deadlineSeconds how long the probe may run
     * @return everything the probe printed (standard output and error)
     * @throws IOException when the JVM cannot start or the output cannot be read
     * @throws InterruptedException when interrupted while waiting
     */
    public String run(Path dir, Class<?> main, long deadlineSeconds) throws IOException, InterruptedException {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String classpath = entries.stream().filter(e -> leftOutJarPrefixes.stream()
                        .noneMatch(prefix -> Path.of(e).getFileName().toString().startsWith(prefix)))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classpath.split(File.pathSeparator)).as("each of %s leaves one jar out", leftOutJarPrefixes)
                .hasSize(entries.size() - leftOutJarPrefixes.size());
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-cp", classpath, main.getName()));
        Path output = Files.createTempFile(dir, "probe", ".out");
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("STATEFUL_CACHE", "off");
        Process process = builder.start();
        try {
            boolean ended = process.waitFor(deadlineSeconds, TimeUnit.SECONDS);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(ended).as("the probe %s ended within %d s; its output:%n%s", main.getSimpleName(),
                    deadlineSeconds, text).isTrue();
            assertThat(process.exitValue()).as("the probe's exit code; its output:%n%s", text).isZero();
            return text;
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * In the probe: run the classes with the JUnit engine test kit and print each failure as
     * {@code FAILURE <exception class>: <message>}, then {@code SUCCEEDED n FAILED m}.
     *
     * @param classes the test classes
     * @return the results
     */
    public static EngineExecutionResults runAndPrint(Class<?>... classes) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toArray(org.junit.platform.engine.DiscoverySelector[]::new))
                .execute();
        results.allEvents().failed().stream().forEach(event -> event.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .ifPresent(t -> System.out.println("FAILURE " + t.getClass().getName() + ": " + t.getMessage())));
        System.out.println("SUCCEEDED " + results.testEvents().succeeded().count() + " FAILED "
                + results.allEvents().failed().count());
        System.out.flush();
        return results;
    }
}
