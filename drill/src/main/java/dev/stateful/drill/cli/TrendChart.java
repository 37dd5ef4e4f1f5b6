package dev.stateful.drill.cli;

import dev.stateful.drill.DrillHistory;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Draw the recorded runs of a drill as inline SVG: the recovery time (thick) and each step's
 * duration over the runs, oldest left, with the {@code --max-rto} limit as a dashed line. Scales to
 * the page's width; every point carries its run and value ({@code data-run}, {@code data-ms}) and a
 * tooltip.
 */
final class TrendChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 26;
    private static final int BOTTOM = 40;
    private static final String[] COLOURS = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
        "#a6761d", "#666666"};
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private TrendChart() {
    }

    static String render(List<DrillHistory.Run> runs, Duration maxRto) {
        StringBuilder b = new StringBuilder();
        if (runs.isEmpty()) {
            return "<p>No run recorded yet.</p>\n";
        }
        Set<String> steps = new LinkedHashSet<>();
        long top = 1;
        for (DrillHistory.Run run : runs) {
            steps.addAll(run.steps().keySet());
            top = Math.max(top, run.recoveryTime().toMillis());
            for (Duration d : run.steps().values()) {
                top = Math.max(top, d.toMillis());
            }
        }
        // A limit far above the runs would flatten them: then it is named above the chart instead.
        boolean limitOnScale = maxRto != null && maxRto.toMillis() <= top * 2;
        if (limitOnScale) {
            top = Math.max(top, maxRto.toMillis());
        }
        long tick = tick(top);
        long ceiling = ((top + tick - 1) / tick) * tick;
        b.append(String.format(Locale.ROOT, "<svg id=\"trend\" class=\"trend\" role=\"img\" viewBox=\"0 0 %d %d\" "
                + "width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\">%n<title>Recovery time and step durations over "
                + "%d recorded runs</title>%n", WIDTH, HEIGHT, runs.size()));
        for (long v = 0; v <= ceiling; v += tick) {
            double y = y(v, ceiling);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>%n", LEFT, y,
                    WIDTH - RIGHT, y, LEFT - 6, y + 4, label(v)));
        }
        int every = Math.max(1, (runs.size() + 7) / 8);
        for (int i = 0; i < runs.size(); i++) {
            if (i % every == 0 || i == runs.size() - 1) {
                String anchor = runs.size() == 1 ? "middle" : i == 0 ? "start" : i == runs.size() - 1 ? "end" : "middle";
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"%s\">"
                        + "%s</text>%n", x(i, runs.size()) + (anchor.equals("start") ? -8 : anchor.equals("end") ? 8 : 0),
                        HEIGHT - BOTTOM + 18, anchor, DAY.format(runs.get(i).startedAt())));
            }
        }
        if (maxRto != null && !limitOnScale) {
            b.append(String.format(Locale.ROOT, "<text id=\"max-rto\" x=\"%d\" y=\"%d\" class=\"tick\" "
                    + "text-anchor=\"end\">\u25b2 --max-rto %s, above the chart</text>%n", WIDTH - RIGHT, TOP + 4,
                    label(maxRto.toMillis())));
        } else if (maxRto != null) {
            double y = y(maxRto.toMillis(), ceiling);
            b.append(String.format(Locale.ROOT, "<line id=\"max-rto\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                    + "stroke=\"#a11\" stroke-dasharray=\"6 4\"><title>--max-rto %s</title></line>%n", LEFT, y,
                    WIDTH - RIGHT, y, label(maxRto.toMillis())));
        }
        int colour = 0;
        for (String step : steps) {
            b.append(series(runs, step, ceiling, COLOURS[colour++ % COLOURS.length], false));
        }
        b.append(series(runs, null, ceiling, "#111", true));
        b.append("</svg>\n<ul class=\"legend\"><li><span class=\"swatch\" style=\"background:#111\"></span>recovery time"
                + "</li>");
        colour = 0;
        for (String step : steps) {
            b.append("<li><span class=\"swatch thin\" style=\"background:").append(COLOURS[colour++ % COLOURS.length])
                    .append("\"></span>").append(HtmlReport.escape(step)).append("</li>");
        }
        if (maxRto != null) {
            b.append("<li><span class=\"swatch dashed\"></span>--max-rto ").append(label(maxRto.toMillis()))
                    .append("</li>");
        }
        return b.append("</ul>\n").toString();
    }

    /** One line: the recovery time ({@code step == null}) or one step's duration; a run without the step is a gap. */
    private static String series(List<DrillHistory.Run> runs, String step, long ceiling, String colour,
                                 boolean recovery) {
        StringBuilder points = new StringBuilder();
        List<String> circles = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            DrillHistory.Run run = runs.get(i);
            Duration d = recovery ? run.recoveryTime() : run.steps().get(step);
            if (d == null) {
                continue;
            }
            double x = x(i, runs.size());
            double y = y(d.toMillis(), ceiling);
            points.append(points.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            String name = recovery ? "recovery time" : step;
            circles.add(String.format(Locale.ROOT, "<circle class=\"%s\" %sdata-run=\"%d\" data-ms=\"%d\" cx=\"%.1f\" "
                    + "cy=\"%.1f\" r=\"%d\" fill=\"%s\"%s><title>%s, %s: %s%s</title></circle>", recovery ? "rto-point"
                    : "step-point", recovery ? "" : "data-step=\"" + HtmlReport.escape(step) + "\" ", i + 1, d.toMillis(),
                    x, y, recovery ? 5 : 3, colour, recovery && !run.passed() ? " stroke=\"#a11\" stroke-width=\"3\"" : "",
                    HtmlReport.escape(run.startedAt().toString()), HtmlReport.escape(name), label(d.toMillis()),
                    recovery && !run.passed() ? " (failed)" : ""));
        }
        return String.format(Locale.ROOT, "<polyline class=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%d\" "
                + "points=\"%s\"/>%n%s%n", recovery ? "rto-line" : "step-line", colour, recovery ? 3 : 1, points,
                String.join("\n", circles));
    }

    private static double x(int i, int n) {
        double span = WIDTH - LEFT - RIGHT - 20;
        return LEFT + 10 + (n == 1 ? span / 2 : span * i / (n - 1));
    }

    private static double y(long ms, long ceiling) {
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - ms / (double) ceiling);
    }

    static long tick(long top) {
        long unit = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (top / (unit * m) <= 5) {
                    return unit * m;
                }
            }
            unit *= 10;
        }
    }

    static String label(long ms) {
        return ms >= 10_000 ? String.format(Locale.ROOT, "%.0f s", ms / 1000.0)
                : ms >= 1000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0) : ms + " ms";
    }
}
