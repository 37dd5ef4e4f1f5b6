package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The migration reports as a user opens them, in headless Chromium at 1,200 pixels: a run of three
 * classes run in parallel (one whose migrations lock two tables, a safe one, one failing on its hazard) leaves a
 * {@code migrations.html} per class with a timeline per migration, and one {@code index.html}
 * listing the classes worst first. With {@code -Dstateful.docs.update=true} the screenshots of
 * docs/migration-safety.md are taken from this run.
 */
@Tag("docker")
@Tag("also-on-junit6") // the index is written when JUnit closes the root store: checked on 5.x and 6.x
class MigrationReportsInBrowserTest {
    static final String SET = "classpath:stateful-test/migrations/report-timeline";
    private static final int WIDTH = 1200;
    private static final String MEASURE = """
            var d = document.documentElement, out = [];
            out.push('innerWidth=' + window.innerWidth);
            out.push('scrollWidth=' + d.scrollWidth);
            var lanes = [];
            document.querySelectorAll('section.migration').forEach(function (s) {
              var t = [];
              s.querySelectorAll('g.lane').forEach(function (g) { t.push(g.getAttribute('data-table')); });
              lanes.push(t.join('+'));
            });
            out.push('lanes=' + lanes.join(','));
            var advice = [];
            document.querySelectorAll('.advice').forEach(function (a) {
              var r = a.getBoundingClientRect();
              var whole = r.width > 0 && r.left >= 0 && r.right <= window.innerWidth && a.scrollWidth <= a.clientWidth + 1;
              advice.push(whole ? 'whole' : 'cut ' + r.left + '..' + r.right);
            });
            out.push('advice=' + advice.join(','));
            var list = document.querySelector('ol.hazards'), svg = document.querySelector('svg.timeline');
            out.push('hazardsFirst=' + (list && svg && (list.compareDocumentPosition(svg) & 4) ? 'yes' : 'no'));
            var rows = [];
            document.querySelectorAll('tr.report').forEach(function (tr) {
              var r = tr.getBoundingClientRect();
              rows.push(tr.querySelector('a').textContent + ':' + tr.querySelector('td.worst').firstChild.textContent
                  + (r.right <= window.innerWidth ? '' : ':cut'));
            });
            out.push('rows=' + rows.join('|'));
            return out.join('\\n');
            """;

    @TempDir
    static Path dir;
    private static Path reports;
    private static Chromium chromium;

    @BeforeAll
    static void runThreeClasses() {
        reports = dir.resolve("stateful-reports");
        chromium = Chromium.in(dir.resolve("chromium"));
        // The classes run in parallel where JUnit allows it with @WithVolume (5.12+; the JUnit 5.10
        // pass runs them one after another): either way they add to one index.
        boolean parallel = JUnitVersion.atLeast(JUnitVersion.running(), 5, 12);
        EngineExecutionResults results = Kit.run(Map.of("stateful.report-dir", reports.toString(), "stateful.cache",
                "off", "junit.jupiter.execution.parallel.enabled", Boolean.toString(parallel),
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent"),
                Timeline.class, Safe.class, MigratedToHazardsTest.FailingOnHazards.class);
        // Two classes pass; the third fails on its hazard before its test, and is in the index all the same.
        results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    }

    @Test
    void eachMigrationHasATimelineWithOneLanePerTableItTouchedAndNothingScrollsSideways() throws Exception {
        Path html = reports.resolve(Timeline.class.getName()).resolve("migrations.html");
        Map<String, String> seen = chromium.measure(html, WIDTH, MEASURE);

        assertThat(seen.get("innerWidth")).isEqualTo(String.valueOf(WIDTH));
        assertThat(Integer.parseInt(seen.get("scrollWidth"))).as("page width at 1,200 px").isLessThanOrEqualTo(WIDTH);
        // V1 creates its tables (no lane: invisible to the application until it committed); V2 builds
        // an index on orders; V3 rewrites orders and adds a foreign key to customers.
        assertThat(seen.get("lanes")).isEqualTo(",public.orders,public.orders+public.customers");
        assertThat(seen.get("hazardsFirst")).isEqualTo("yes");
        assertThat(seen.get("advice").split(",")).as("every hazard's advice, whole").isNotEmpty()
                .allMatch("whole"::equals);

        String dom = chromium.dumpDom(html, WIDTH);
        assertThat(dom).contains("Fix: CREATE INDEX CONCURRENTLY in a migration of its own, outside a transaction")
                .contains("BLOCKING_INDEX_BUILD</strong> on <code>public.orders</code>")
                .contains("TABLE_REWRITE</strong> on <code>public.orders</code>");
        String v2 = section(dom, "V2 index orders by customer");
        assertThat(v2).contains("class=\"lock mode-share\"").contains("class=\"writes-blocked\"")
                .doesNotContain("class=\"reads-blocked\"").contains("class=\"hazard-mark\"")
                .contains("<li><span class=\"swatch\" style=\"background:#fdae6b\"></span>SHARE held (blocks writes)</li>");
        String v3 = section(dom, "V3 flag orders and link customers");
        assertThat(v3).contains("class=\"lock mode-access-exclusive\"").contains("class=\"reads-blocked\"")
                .contains("class=\"lock mode-share-row-exclusive\"").contains("ACCESS EXCLUSIVE held (blocks reads and writes)");
        assertThat(Files.readString(html.resolveSibling("migrations.json"))).as("the timeline's data").contains(
                "\"timeline\": [{\"table\": \"public.orders\"",
                "{\"table\": \"public.orders\", \"kind\": \"LOCK_HELD\", \"lock\": \"SHARE\", \"startMillis\": ",
                "{\"table\": \"public.customers\", \"kind\": \"LOCK_HELD\", \"lock\": \"SHARE_ROW_EXCLUSIVE\"");
        assertThat(Files.readString(html)).as("one self-contained file").doesNotContain("<script", "src=", "href=",
                "http:", "https:", "url(");

        docsScreenshot(html, 1450, "migration-report.png");
    }

    @Test
    void oneIndexListsEveryClassWorstFirstLinkingItsReportAlsoTheFailedOne() throws Exception {
        Path index = reports.resolve("index.html");
        assertThat(index).isRegularFile();
        Map<String, String> seen = chromium.measure(index, WIDTH, MEASURE);

        assertThat(Integer.parseInt(seen.get("scrollWidth"))).isLessThanOrEqualTo(WIDTH);
        List<String> rows = List.of(seen.get("rows").split("\\|"));
        assertThat(rows).hasSize(3).noneMatch(r -> r.endsWith(":cut"));
        List<Long> worst = new ArrayList<>();
        for (String row : rows) {
            worst.add(Long.parseLong(row.substring(row.lastIndexOf(':') + 1).replace(" ms", "").strip()));
        }
        assertThat(worst).as("worst first").isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(rows.get(2)).startsWith("MigrationReportsInBrowserTest.Safe:").endsWith(":0 ms");
        assertThat(worst.get(0)).isPositive();

        String html = Files.readString(index);
        assertThat(html).contains("MigratedToHazardsTest.<wbr>FailingOnHazards</a> <span class=\"failed\">failed: "
                        + "failOnHazard</span>",
                "<li class=\"hazard\">BLOCKING_INDEX_BUILD on public.orders in V2 index orders by customer",
                "<li class=\"hazard\">TABLE_REWRITE on public.orders in V3 flag orders and link customers");
        Matcher links = Pattern.compile("<a href=\"([^\"#]+)\">").matcher(html);
        int count = 0;
        while (links.find()) {
            count++;
            assertThat(reports.resolve(links.group(1))).as("link " + links.group(1)).isRegularFile();
        }
        assertThat(count).isEqualTo(3);
        assertThat(html).contains("<li><a class=\"step\" href=\"" + Timeline.class.getName()
                + "/migrations.html#migration-3\">V3 flag orders and link customers");

        docsScreenshot(index, 760, "migration-index.png");
    }

    private static String section(String dom, String heading) {
        int start = dom.indexOf("<h2>" + heading);
        assertThat(start).as(heading).isNotNegative();
        int end = dom.indexOf("</section>", start);
        return dom.substring(start, end);
    }

    /** With -Dstateful.docs.update=true, refresh a screenshot of docs/images from this run. */
    private static void docsScreenshot(Path page, int height, String name) throws Exception {
        if (!Boolean.getBoolean("stateful.docs.update")) {
            return;
        }
        // Laid out at 1,200 px, scaled to 900 px wide: the whole page in a small image.
        Path png = chromium.screenshot(page, WIDTH, height, 0.75, dir.resolve(name));
        Files.copy(png, Path.of("..", "docs", "images", name), StandardCopyOption.REPLACE_EXISTING);
    }

    // ------------------------------------------------------------------ examples

    @WithVolume
    @MigratedTo(locations = SET)
    static class Timeline {
        @Test
        void runs(StatefulPostgres db) {
            assertThat(db.migrations().schemaVersion()).contains("3");
        }
    }

    @WithVolume
    @MigratedTo(locations = SET, value = "1")
    static class Safe {
        @Test
        void runs(StatefulPostgres db) {
            assertThat(db.migrations().schemaVersion()).contains("1");
        }
    }
}
