package dev.stateful.drill.cli;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.drill.DrillHistory;
import dev.stateful.drill.DrillReport;
import dev.stateful.stack.StackDrillReport;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Render a drill report as one self-contained HTML page: no scripts, no external files. With a
 * history, it draws the recorded runs' recovery time and step durations ({@link TrendChart}).
 */
final class HtmlReport {
    private HtmlReport() {
    }

    static String render(DrillReport report) {
        return render(report, null, null);
    }

    static String render(DrillReport report, DrillHistory history, java.time.Duration maxRto) {
        StringBuilder html = head("Restore drill: " + (report.passed() ? "passed" : "FAILED"));
        html.append("<h1 id=\"verdict\" class=\"").append(report.passed() ? "passed" : "failed").append("\">Restore drill ")
                .append(report.passed() ? "passed" : "FAILED").append("</h1>\n");
        report.failure().ifPresent(f -> html.append("<p id=\"failure\" class=\"ko\">").append(escape(f)).append("</p>\n"));
        html.append(String.format(Locale.ROOT, "<p>Recovery time: <strong id=\"rto\">%d ms</strong>; backup size: %s.</p>%n",
                report.recoveryTime().toMillis(), report.backupBytes() < 0 ? "n/a" : report.backupBytes() + " bytes"));

        long longest = Math.max(1, report.steps().stream().mapToLong(s -> s.duration().toMillis()).max().orElse(1));
        html.append("<h2>Steps</h2>\n<table id=\"steps\">\n<tr><th>step</th><th>duration</th><th></th><th>result</th></tr>\n");
        for (DrillReport.Step step : report.steps()) {
            html.append("<tr><td>").append(escape(step.name())).append("</td>");
            stepTime(html, step.duration().toMillis(), longest, step.passed());
            html.append("<td class=\"").append(step.passed() ? "ok" : "ko").append("\">").append(step.passed() ? "ok" : "failed")
                    .append(step.detail().isEmpty() ? "" : ": " + escape(step.detail())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        if (history != null) {
            html.append("<h2>Trend over ").append(history.runs().size()).append(" recorded runs</h2>\n<p>From ")
                    .append(escape(history.file().toString())).append(maxRto == null ? "" : "; --max-rto "
                            + TrendChart.label(maxRto.toMillis())).append(".</p>\n")
                    .append(TrendChart.render(history.runs(), maxRto));
        }

        html.append("<h2>Tables: source vs restored</h2>\n<table id=\"tables\">\n")
                .append("<tr><th>table</th><th>source rows</th><th>restored rows</th><th>content</th></tr>\n");
        DatabaseFingerprint source = report.sourceFingerprint().orElse(null);
        DatabaseFingerprint restored = report.restoredFingerprint().orElse(null);
        SortedSet<String> names = new TreeSet<>();
        if (source != null) {
            names.addAll(source.tables().keySet());
        }
        if (restored != null) {
            names.addAll(restored.tables().keySet());
        }
        for (String name : names) {
            var s = source == null ? null : source.tables().get(name);
            var r = restored == null ? null : restored.tables().get(name);
            String verdict = source == null ? "n/a (no live source)" : s != null && s.equals(r) ? "equal" : "DIFFERENT";
            html.append("<tr><td>").append(escape(name)).append("</td><td>").append(s == null ? "-" : s.rows())
                    .append("</td><td>").append(r == null ? "-" : r.rows()).append("</td><td class=\"")
                    .append(verdict.equals("DIFFERENT") ? "ko" : "ok").append("\">").append(verdict).append("</td></tr>\n");
        }
        html.append("</table>\n");
        checks(html, report.checks().stream().map(c -> new CheckRow(c.sql(), c.passed(), c.detail())).toList());
        html.append("<h2>Log</h2>\n<pre id=\"log\">");
        report.log().forEach(line -> html.append(escape(line)).append('\n'));
        html.append("</pre>\n</body>\n</html>\n");
        return html.toString();
    }

    /** A stack drill ({@code --compose}): the steps per service, the pause, each service live vs restored, the checks. */
    static String render(StackDrillReport report) {
        StringBuilder html = head("Stack drill: " + (report.passed() ? "passed" : "FAILED"));
        html.append("<h1 id=\"verdict\" class=\"").append(report.passed() ? "passed" : "failed").append("\">Stack drill of ")
                .append(escape(report.project())).append(' ').append(report.passed() ? "passed" : "FAILED").append("</h1>\n");
        report.failure().ifPresent(f -> html.append("<p id=\"failure\" class=\"ko\">").append(escape(f)).append("</p>\n"));
        html.append("<p>The live project was paused for <strong id=\"paused\">").append(report.pausedMillis())
                .append(" ms</strong>.</p>\n");
        long longest = Math.max(1, report.steps().stream().mapToLong(StackDrillReport.Step::millis).max().orElse(1));
        html.append("<h2>Steps</h2>\n<table id=\"steps\">\n<tr><th>step</th><th>service</th><th>duration</th><th></th>"
                + "<th>detail</th></tr>\n");
        for (StackDrillReport.Step step : report.steps()) {
            html.append("<tr><td>").append(escape(step.name())).append("</td><td>").append(escape(step.service())).append("</td>");
            stepTime(html, step.millis(), longest, true);
            html.append("<td>").append(escape(step.detail())).append("</td></tr>\n");
        }
        html.append("</table>\n<h2>Services: live project vs restored copy</h2>\n<table id=\"services\">\n")
                .append("<tr><th>service</th><th>store</th><th>live</th><th>restored</th><th>result</th></tr>\n");
        for (StackDrillReport.ServiceResult s : report.services()) {
            html.append("<tr><td>").append(escape(s.service())).append("</td><td>").append(escape(s.store()))
                    .append("</td><td>").append(escape(s.live())).append("</td><td>").append(escape(s.restored()))
                    .append("</td><td class=\"").append(s.identical() ? "ok\">identical" : "ko\">DIFFERENT");
            s.differences().forEach(d -> html.append("<br>").append(escape(d)));
            html.append("</td></tr>\n");
        }
        html.append("</table>\n");
        checks(html, report.checks().stream().map(c -> new CheckRow(c.sql(), c.passed(), c.detail())).toList());
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void stepTime(StringBuilder html, long ms, long longest, boolean passed) {
        html.append("<td>").append(ms).append(" ms</td>")
                .append(String.format(Locale.ROOT, "<td><span class=\"bar%s\" style=\"width:%dpx\"></span></td>",
                        passed ? "" : " failed", Math.max(2, ms * 300 / longest)));
    }

    /** A check of either drill, as the page shows it. */
    private record CheckRow(String sql, boolean passed, String detail) {
    }

    private static void checks(StringBuilder html, java.util.List<CheckRow> checks) {
        html.append("<h2>Checks</h2>\n<table id=\"checks\">\n<tr><th>SQL</th><th>result</th></tr>\n");
        for (CheckRow check : checks) {
            html.append("<tr><td><code>").append(escape(check.sql())).append("</code></td><td class=\"")
                    .append(check.passed() ? "ok" : "ko").append("\">").append(escape(check.detail())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static StringBuilder head(String title) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1150px;padding:0 1rem;color:#222;"
                        + "overflow-wrap:anywhere}")
                .append("svg.trend{display:block;max-width:100%;height:auto;font-size:12px}svg .tick{fill:#555;font-size:11px}"
                        + "ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-size:.9em}"
                        + ".swatch{display:inline-block;width:1.4em;height:.5em;margin-right:.35em;vertical-align:middle}"
                        + ".swatch.thin{height:.2em}.swatch.dashed{border-top:2px dashed #a11;height:0}")
                .append("h1.passed{color:#17663a}h1.failed{color:#a11}")
                .append("table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}")
                .append(".bar{background:#4a78c2;height:1rem;display:inline-block}.bar.failed{background:#c24a4a}")
                .append(".ok{color:#17663a}.ko{color:#a11}pre{background:#f5f5f5;padding:1rem;white-space:pre-wrap}\n")
                .append("</style>\n</head>\n<body>\n");
        return html;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
