package dev.stateful.drill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.drill.DrillHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The trend drawing without Docker: one point per recorded run and step, the limit on or above the scale. */
class TrendChartTest {
    private static DrillHistory.Run run(String at, boolean passed, long recovery, long restore, Long migrate) {
        Map<String, Duration> steps = new LinkedHashMap<>();
        steps.put("restore", Duration.ofMillis(restore));
        if (migrate != null) {
            steps.put("migrate", Duration.ofMillis(migrate));
        }
        return new DrillHistory.Run(Instant.parse(at), passed, Duration.ofMillis(recovery), null, null, steps);
    }

    private static final List<DrillHistory.Run> RUNS = List.of(
            run("2026-11-23T06:00:00Z", true, 41_000, 38_000, null),
            run("2026-11-30T06:00:00Z", true, 47_500, 40_000, 6_000L),
            run("2026-12-07T06:00:00Z", false, 63_250, 55_000, 7_000L));

    private static List<String> points(String svg, String cssClass) {
        Matcher m = Pattern.compile("<circle class=\"" + cssClass + "\" (?:data-step=\"([^\"]+)\" )?data-run=\"(\\d+)\" "
                + "data-ms=\"(\\d+)\"").matcher(svg);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add((m.group(1) == null ? "" : m.group(1) + "@") + m.group(2) + ":" + m.group(3));
        }
        return out;
    }

    @Test
    void onePointPerRunForTheRecoveryTimeAndEachStepARunWithoutAStepLeavesAGap() {
        String svg = TrendChart.render(RUNS, Duration.ofMinutes(1));

        assertThat(points(svg, "rto-point")).containsExactly("1:41000", "2:47500", "3:63250");
        assertThat(points(svg, "step-point")).containsExactly("restore@1:38000", "restore@2:40000", "restore@3:55000",
                "migrate@2:6000", "migrate@3:7000");
        assertThat(svg).contains("<line id=\"max-rto\"").contains("(failed)</title>")
                .contains("<li><span class=\"swatch thin\" style=\"background:#d95f02\"></span>migrate</li>");
        assertThat(svg).doesNotContain("<script", "href=");
    }

    @Test
    void aLimitFarAboveTheRunsIsNamedAboveTheChartInsteadOfFlatteningIt() {
        String svg = TrendChart.render(RUNS, Duration.ofHours(1));

        assertThat(svg).contains("<text id=\"max-rto\"").contains("--max-rto 3600 s, above the chart")
                .doesNotContain("<line id=\"max-rto\"");
        assertThat(TrendChart.render(List.of(), null)).isEqualTo("<p>No run recorded yet.</p>\n");
    }
}
