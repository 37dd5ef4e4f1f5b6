package dev.stateful.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/errors.md against the code: every message fragment the page quotes (the code span that
 * opens a table row) occurs verbatim in one string literal of the main sources, and every
 * public exception class of the library has a section. Sources are found by scanning, so the
 * check follows classes when they move. Pure: no Docker engine needed.
 */
class ErrorsPageTest {
    private static final int MIN_FRAGMENT = 15;
    private static final Pattern FRAGMENT_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");
    private static final Pattern HEADING_EXCEPTION = Pattern.compile("^#+ .*`(\\w+Exception)`");
    private static final Pattern PUBLIC_EXCEPTION = Pattern.compile("\\bpublic\\s+(?:abstract\\s+|final\\s+)*class\\s+(\\w+Exception)\\b");

    private final Path root = DocsFiles.repoRoot();
    private final String page = DocsFiles.read(root.resolve("docs/errors.md"));

    @Test
    void everyQuotedMessageIsALiteralOfTheMainSources() {
        List<String> literals = SourceLiterals.of(List.of(root.resolve("extension/src/main/java"),
                root.resolve("drill/src/main/java")));
        List<String> fragments = fragments(page);
        List<String> problems = new ArrayList<>();
        for (String fragment : fragments) {
            if (fragment.length() < MIN_FRAGMENT) {
                problems.add("'" + fragment + "' is shorter than " + MIN_FRAGMENT + " characters; quote more of the message");
            } else if (literals.stream().noneMatch(l -> l.contains(fragment))) {
                problems.add("'" + fragment + "' is in no string literal of extension/src/main/java or"
                        + " drill/src/main/java; the message changed: quote the code's current text");
            }
        }
        assertThat(problems).as("docs/errors.md message fragments").isEmpty();
        assertThat(fragments).as("message fragments on docs/errors.md").hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void everyPublicExceptionHasASectionAndEverySectionNamesARealException() {
        Set<String> exceptions = new LinkedHashSet<>();
        for (Path file : DocsFiles.javaSources(root.resolve("extension/src/main/java"))) {
            Matcher m = PUBLIC_EXCEPTION.matcher(DocsFiles.read(file));
            while (m.find()) {
                exceptions.add(m.group(1));
            }
        }
        Set<String> sections = new LinkedHashSet<>();
        for (String line : page.split("\n")) {
            Matcher m = HEADING_EXCEPTION.matcher(line);
            if (m.find()) {
                sections.add(m.group(1));
            }
        }
        assertThat(exceptions).as("public exception classes of the library").hasSizeGreaterThanOrEqualTo(5);
        assertThat(sections).as("exception sections of docs/errors.md").containsAll(exceptions);
        assertThat(exceptions).as("exceptions docs/errors.md has a section for").containsAll(sections);
    }

    @Test
    void theFragmentReaderSeesOnlyRowsThatOpenWithACodeSpan() {
        assertThat(fragments("| message | when |\n|---|---|\n| `volume name 'x' is invalid` | always |\n| plain | `not me` |\n"))
                .containsExactly("volume name 'x' is invalid");
        assertThat(SourceLiterals.in("String a = \"it's \\\"quoted\\\"\" + 'x' + \"b\"; // \"not this\"\n"))
                .containsExactly("it's \"quoted\"", "b");
    }

    static List<String> fragments(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = FRAGMENT_ROW.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
