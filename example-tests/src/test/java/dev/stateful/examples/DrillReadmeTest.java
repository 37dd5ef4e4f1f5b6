package dev.stateful.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * drill/README.md quotes the CLI's {@code --help} output; this pure test compares it with the
 * usage text of the drill's sources (found by scanning, so it follows the class when it moves).
 */
class DrillReadmeTest {
    private static final String MARKER = "<!-- drill-help";
    private static final String USAGE_START = "Usage: java -jar stateful-drill.jar";

    @Test
    void theQuotedHelpIsTheCliUsage() {
        Path root = DocsFiles.repoRoot();
        List<String> usages = SourceLiterals.of(List.of(root.resolve("drill/src/main/java"))).stream()
                .filter(l -> l.startsWith(USAGE_START)).toList();
        assertThat(usages).as("usage text in drill/src/main/java").hasSize(1);
        assertThat(quotedHelp(DocsFiles.read(root.resolve("drill/README.md"))))
                .as("the --help block of drill/README.md; copy the usage text of the CLI's source into it")
                .isEqualTo(usages.get(0).stripTrailing());
    }

    static String quotedHelp(String readme) {
        int marker = readme.indexOf(MARKER);
        assertThat(marker).as("drill/README.md has a '" + MARKER + " ... -->' marker before the help block").isNotNegative();
        int open = readme.indexOf("```", marker);
        int start = readme.indexOf('\n', open) + 1;
        int end = readme.indexOf("\n```", start);
        return readme.substring(start, end).stripTrailing();
    }
}
