package dev.stateful;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The settings table of {@code docs/configuration.md} and the code's list of settings
 * ({@link Setting#all()}) name the same settings, with the same parameter and environment
 * variable, in the same order; README links to the page instead of keeping a second table.
 */
class ConfigurationDocTest {
    private static final Pattern ROW = Pattern.compile("^\\|[^|]*\\|[^|]*\\| `(stateful\\.[^`]+)` \\| `(STATEFUL_[A-Z_]+)` \\|");

    @Test
    void settingsTableMatchesTheCode() throws IOException {
        List<String> documented = Files.readAllLines(projectFile("docs/configuration.md")).stream()
                .map(ROW::matcher).filter(Matcher::find).map(m -> m.group(1) + " " + m.group(2)).toList();
        List<String> code = Setting.all().stream().map(s -> s.property() + " " + s.env()).toList();
        assertThat(documented).containsExactlyElementsOf(code);
    }

    @Test
    void readmeLinksToTheSettingsPage() throws IOException {
        assertThat(Files.readString(projectFile("README.md"))).contains("(docs/configuration.md)");
    }

    private static Path projectFile(String name) {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new AssertionError(name + " not found above " + here);
    }
}
