package dev.stateful;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.testing.RealData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the two test tiers: {@code mvn test -DexcludedGroups=docker} runs every pure test on a
 * machine without Docker, so every test class of every module that reaches the engine carries the
 * tag {@code docker} (on the class, through {@code @WithVolume} or {@code @StartedHandles}, or on
 * the methods that need it), and no class that never reaches it carries the tag. It reads the
 * test sources as text.
 */
class DockerTagTest {
    /** What reaches a Docker engine: a container of Stateful's or Testcontainers', the engine itself, a benchmark run, README's first command. */
    private static final Pattern ENGINE_USE = Pattern.compile(String.join("|",
            "@WithVolume\\b",
            "@StartedHandles\\b",
            "\\bDockerEngine\\.get\\(",
            "\\bStatefulPostgres\\.builder\\(\\)[^;]*\\.(?:start|build)\\(\\)",
            "\\bRestoreDrill\\.of\\(",
            "\\bStatefulStack\\.fromCompose\\([^;]*\\.start\\(\\)",
            "\\bStackDrill\\.ofLiveProject\\(",
            "\\b(?:PostgreSQLContainer|GenericContainer)\\b",
            "\\bPrivateEngine\\.start\\(",
            "\\bTestImages\\.",
            "\\b\\w*Benchmarks\\.main\\(",
            "\\bTryIt\\.run\\(",
            "\\bDrillMain\\.run\\("));
    private static final Pattern TEST_CLASS_FILE = Pattern.compile("(?:Test\\w*|\\w*(?:Test|Tests|TestCase|IT|ITCase))\\.java");
    private static final Pattern HAS_TESTS = Pattern.compile("@(?:Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b");
    /** Comments, text blocks and string literals: what a class says rather than does. */
    private static final Pattern NOT_CODE = Pattern.compile("(?s)/\\*.*?\\*/|//[^\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\n])*\"");
    private static final String TAG = "@Tag(\"docker\")";

    @Test
    void everyTestClassThatReachesDockerIsTagged() {
        List<String> untagged = testSources()
                .filter(source -> source.reachesDocker() && !source.tagged())
                .map(source -> source.path + " (" + source.firstUse() + ")")
                .toList();
        assertThat(untagged).as("test classes that reach a Docker engine but carry no " + TAG + " on the class or on "
                + "the methods that need it, nor @WithVolume or @StartedHandles on the class; they would fail under "
                + "-DexcludedGroups=docker on a machine without Docker").isEmpty();
    }

    @Test
    void noPureTestClassIsTagged() {
        List<String> tagged = testSources()
                .filter(source -> source.text.contains(TAG) && !source.reachesDocker())
                .map(source -> source.path.toString())
                .toList();
        assertThat(tagged).as("test classes tagged docker that reach no Docker engine; the tag keeps them "
                + "out of the pure tier").isEmpty();
    }

    @Test
    void theScanSeesTheTestsOfEveryModule() {
        List<String> modules = testSources().map(source -> source.path.getName(0).toString()).distinct().sorted().toList();
        assertThat(modules).contains("extension", "example-tests", "drill", "benchmarks", "test-fixtures");
    }

    private record Source(Path path, String text) {
        boolean reachesDocker() {
            return ENGINE_USE.matcher(code()).find();
        }

        /** Where the first use stands, as {@code line N: text of the line}. */
        String firstUse() {
            Matcher m = ENGINE_USE.matcher(code());
            if (!m.find()) {
                return "";
            }
            int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            return "line " + (line + 1) + ": " + text.lines().skip(line).findFirst().orElse("").strip();
        }

        /** The text with comments and string literals blanked out, every other character in its place. */
        private String code() {
            return NOT_CODE.matcher(text).replaceAll(m -> m.group().replaceAll("[^\n]", " "));
        }

        /** The top-level class is tagged or carries @WithVolume or @StartedHandles, or some of its methods are tagged. */
        boolean tagged() {
            Matcher type = Pattern.compile("(?m)^(?:public |final |abstract )*class \\w+").matcher(text);
            if (!type.find()) {
                return false;
            }
            String header = text.substring(0, type.start());
            String beforeClass = header.substring(Math.max(header.lastIndexOf("*/"), header.lastIndexOf(';')) + 1);
            return beforeClass.contains(TAG) || beforeClass.contains("@WithVolume") || beforeClass.contains("@StartedHandles")
                    || text.contains("    " + TAG);
        }
    }

    private static Stream<Source> testSources() {
        Path root = RealData.projectRoot();
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(module -> module.resolve("src/test/java")).filter(Files::isDirectory)
                    .flatMap(DockerTagTest::javaFiles)
                    .filter(file -> TEST_CLASS_FILE.matcher(file.getFileName().toString()).matches())
                    .map(file -> new Source(root.relativize(file), read(file)))
                    .filter(source -> HAS_TESTS.matcher(source.text).find())
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
