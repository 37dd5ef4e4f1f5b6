package dev.stateful.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every code snippet of README.md, drill/README.md and docs/*.md is the tagged region of a
 * compiled source (see {@link Snippets}), and every java block is such a snippet. With
 * {@code -Dstateful.docs.update=true} the test first rewrites the pages' snippets from the
 * sources. Pure: no Docker engine needed.
 */
class DocsSnippetsTest {
    private static final boolean UPDATE = Boolean.getBoolean("stateful.docs.update");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]+)(#[^)\\s]*)?\\)");

    @Test
    void everySnippetMatchesItsSourceAndEveryJavaBlockIsASnippet() throws IOException {
        Path root = DocsFiles.repoRoot();
        List<Snippets.Problem> problems = new ArrayList<>();
        int snippets = 0;
        for (Path page : DocsFiles.pages(root)) {
            Path file = root.resolve(page);
            String text = DocsFiles.read(file);
            Snippets.Result result = Snippets.check(page.toString(), text, Snippets.filesUnder(root));
            snippets += result.snippets();
            if (UPDATE && !result.updated().equals(text)) {
                Files.writeString(file, result.updated());
                result = Snippets.check(page.toString(), result.updated(), Snippets.filesUnder(root));
            }
            problems.addAll(result.problems());
        }
        assertThat(problems).as("pages whose snippets do not come from the code").isEmpty();
        assertThat(snippets).as("snippets found in the pages").isGreaterThanOrEqualTo(10);
    }

    @Test
    void readmeOpensWithTheTenLinesFromARealTest() {
        Path root = DocsFiles.repoRoot();
        String readme = DocsFiles.read(root.resolve("README.md"));
        assertThat(readme).contains("<!-- snippet: example-tests/src/test/java/dev/stateful/examples/TenLinesTest.java#ten-lines -->");
        assertThat(readme.getBytes(StandardCharsets.UTF_8).length).as("README.md size in bytes").isLessThanOrEqualTo(12 * 1024);
    }

    @Test
    void everyRelativeLinkOfAPagePointsAtAFileThatExists() {
        Path root = DocsFiles.repoRoot();
        List<String> broken = new ArrayList<>();
        for (Path page : DocsFiles.pages(root)) {
            Matcher m = LINK.matcher(DocsFiles.read(root.resolve(page)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                Path resolved = root.resolve(page).getParent() == null ? root.resolve(target)
                        : root.resolve(page).getParent().resolve(target);
                if (!Files.exists(resolved.normalize())) {
                    broken.add(page + ": link (" + target + ") points at nothing");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    // The checker itself: each kind of drift is found.

    private static final String SOURCE = String.join("\n",
            "class A {",
            "    void f() {",
            "        // tag::call[]",
            "        db.restart();",
            "        db.recreate();",
            "        // end::call[]",
            "    }",
            "}");

    private static Snippets.Result check(String page) {
        return Snippets.check("page.md", page, path -> Optional.ofNullable(Map.of("src/A.java", SOURCE).get(path)));
    }

    @Test
    void aBlockEqualToItsRegionPasses() {
        Snippets.Result r = check("text\n<!-- snippet: src/A.java#call -->\n```java\ndb.restart();\ndb.recreate();\n```\n");
        assertThat(r.problems()).isEmpty();
        assertThat(r.snippets()).isEqualTo(1);
    }

    @Test
    void aBlockThatDiffersIsNamedWithPageSnippetAndFileAndUpdateRewritesIt() {
        String page = "<!-- snippet: src/A.java#call -->\n```java\ndb.restart();\n```\nafter\n";
        Snippets.Result r = check(page);
        assertThat(r.problems()).singleElement().asString()
                .contains("page.md:1", "snippet src/A.java#call differs from src/A.java", "db.recreate();");
        assertThat(r.updated()).isEqualTo("<!-- snippet: src/A.java#call -->\n```java\ndb.restart();\ndb.recreate();\n```\nafter\n");
        assertThat(check(r.updated()).problems()).isEmpty();
    }

    @Test
    void aMissingFileOrTagIsNamed() {
        assertThat(check("<!-- snippet: src/B.java#call -->\n```java\nx\n```\n").problems())
                .singleElement().asString().contains("file src/B.java does not exist");
        assertThat(check("<!-- snippet: src/A.java#other -->\n```java\nx\n```\n").problems())
                .singleElement().asString().contains("has no region between '// tag::other[]' and '// end::other[]'");
    }

    @Test
    void aJavaBlockWithoutAMarkerFailsUnlessItSaysWhyItIsNotASnippet() {
        assertThat(check("a\n```java\nint x;\n```\n").problems())
                .singleElement().asString().contains("page.md:2: java code block without a snippet marker");
        assertThat(check("<!-- not-a-snippet: shows a compile error -->\n```java\nint x\n```\n").problems()).isEmpty();
        assertThat(check("```bash\nmvn -B verify\n```\n").problems()).isEmpty();
    }
}
