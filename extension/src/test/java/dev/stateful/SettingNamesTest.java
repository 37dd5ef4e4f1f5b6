package dev.stateful;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.testing.RealData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every setting name is declared once, in {@link Setting}: main code refers to the constant
 * instead of repeating a name as a string literal, and every {@code stateful.*} or
 * {@code STATEFUL_*} name that main code mentions (in a message of an internal package, which
 * may not depend on {@link Setting}, or in Javadoc) is one that {@link Setting} declares
 * (a variable such as {@code stateful.add(...)} is no name).
 */
class SettingNamesTest {
    /** The modules whose main code is read. */
    private static final List<String> MODULES = List.of("extension", "spring", "drill", "benchmarks");
    /** Names that are not settings: the variable a migrator image gets, and the keys of JUnit report entries. */
    private static final Set<String> NOT_SETTINGS = Set.of("STATEFUL_TARGET", "stateful.migrations", "stateful.hazard");
    private static final Pattern NAME = Pattern.compile(
            "(?<![\\w.])(stateful\\.[a-z][a-z0-9-]*+(?:\\.[a-z][a-z0-9-]*+)*+(?!\\()|STATEFUL_[A-Z0-9_]*[A-Z0-9])");
    private static final Pattern LITERAL_NAME = Pattern.compile(
            "\"(stateful\\.[a-z][a-z0-9.-]*[a-z0-9]|STATEFUL_[A-Z0-9_]*[A-Z0-9])\"");

    @Test
    void noMainCodeRepeatsASettingNameAsALiteral() {
        List<String> copies = new ArrayList<>();
        for (Path source : mainSources()) {
            if (source.endsWith(Path.of("dev", "stateful", "Setting.java"))) {
                continue;
            }
            Matcher m = LITERAL_NAME.matcher(read(source));
            while (m.find()) {
                if (isSetting(m.group(1))) {
                    copies.add(source.getFileName() + ": " + m.group());
                }
            }
        }
        assertThat(copies).as("setting names written as literals instead of Setting's constants").isEmpty();
    }

    @Test
    void everyNameMainCodeMentionsIsDeclared() {
        List<String> unknown = new ArrayList<>();
        for (Path source : mainSources()) {
            Matcher m = NAME.matcher(read(source));
            while (m.find()) {
                String name = m.group(1);
                if (!isSetting(name) && !isFamily(name) && NOT_SETTINGS.stream().noneMatch(name::startsWith)) {
                    unknown.add(source.getFileName() + ": " + name);
                }
            }
        }
        assertThat(unknown).as("names that no Setting declares").isEmpty();
    }

    private static boolean isSetting(String name) {
        return Setting.all().stream().anyMatch(s -> s.property().equals(name) || s.env().equals(name));
    }

    /** A prefix such as {@code stateful.flyway} of {@code stateful.flyway.*}. */
    private static boolean isFamily(String name) {
        return Setting.all().stream().anyMatch(s -> s.property().startsWith(name + "."));
    }

    private static List<Path> mainSources() {
        Path root = RealData.projectRoot();
        List<Path> sources = new ArrayList<>();
        for (String module : MODULES) {
            Path dir = root.resolve(module).resolve("src/main/java");
            assertThat(dir).as("main sources of %s", module).isDirectory();
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
