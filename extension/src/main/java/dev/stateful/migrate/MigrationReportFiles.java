package dev.stateful.migrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Write {@code migrations.json} and {@code migrations.html} for one migration run: the hazards
 * first, each with its advice, then per migration a timeline (one lane per table it touched: the
 * locks held, the stretches in which reads and writes were blocked, the hazards) and a table
 * (each table it locked, with the lock, the time held, the blocked reads and writes, and whether
 * it was rewritten). The HTML is one self-contained file: inline CSS and SVG, no script.
 */
final class MigrationReportFiles {
    static final String JSON = "migrations.json";
    static final String HTML = MigrationResult.REPORT_HTML;

    private MigrationReportFiles() {
    }

    /** Write both files into a directory (created when missing), replacing earlier ones. */
    static void write(Path dir, String title, MigrationResult result) {
        try {
            Files.createDirectories(dir);
            replace(dir.resolve(JSON), json(title, result));
            replace(dir.resolve(HTML), html(title, result));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the migration report into " + dir.toAbsolutePath() + ": "
                    + e.getMessage() + ". Fix: write it into a writable directory (for @MigratedTo, set stateful.report-dir to one).", e);
        }
    }

    private static void replace(Path target, String text) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---------------------------------------------------------------- JSON

    static String json(String title, MigrationResult r) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"title\": ").append(str(title)).append(",\n");
        b.append("  \"from\": ").append(str(r.fromVersion())).append(",\n");
        b.append("  \"to\": ").append(str(r.toVersion())).append(",\n");
        b.append("  \"durationMillis\": ").append(r.duration().toMillis()).append(",\n");
        b.append("  \"hazards\": [");
        List<Hazard> hazards = r.hazards();
        for (int i = 0; i < hazards.size(); i++) {
            Hazard h = hazards.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"migration\": ").append(migration(h.migration()))
                    .append(", \"kind\": ").append(str(h.kind().name()))
                    .append(", \"table\": ").append(str(h.table()))
                    .append(", \"rows\": ").append(h.rows())
                    .append(", \"lock\": ").append(str(h.lock() == null ? null : h.lock().name()))
                    .append(", \"heldMillis\": ").append(h.held().toMillis())
                    .append(", \"readsBlockedMillis\": ").append(h.readsBlocked().toMillis())
                    .append(", \"writesBlockedMillis\": ").append(h.writesBlocked().toMillis())
                    .append(", \"evidence\": ").append(str(h.evidence()))
                    .append(", \"advice\": ").append(str(h.advice())).append('}');
        }
        b.append(hazards.isEmpty() ? "],\n" : "\n  ],\n");
        b.append("  \"steps\": [");
        List<MigrationStep> steps = r.steps();
        for (int i = 0; i < steps.size(); i++) {
            MigrationStep s = steps.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"migration\": ").append(migration(s.migration()))
                    .append(", \"durationMillis\": ").append(s.duration().toMillis())
                    .append(", \"transactional\": ").append(s.transactional())
                    .append(", \"failed\": ").append(s.failed())
                    .append(", \"observationComplete\": ").append(s.observationComplete())
                    .append(", \"tables\": [");
            int t = 0;
            for (String table : s.tables()) {
                b.append(t++ == 0 ? "" : ", ").append("{\"table\": ").append(str(table))
                        .append(", \"lock\": ").append(str(s.locks().containsKey(table) ? s.locks().get(table).name() : null))
                        .append(", \"heldMillis\": ").append(s.held(table).toMillis())
                        .append(", \"readsBlockedMillis\": ").append(s.readsBlocked(table).toMillis())
                        .append(", \"writesBlockedMillis\": ").append(s.writesBlocked(table).toMillis())
                        .append(", \"rewritten\": ").append(s.rewrittenTables().contains(table)).append('}');
            }
            b.append("], \"indexesBuilt\": ").append(strings(s.indexesBuilt()))
                    .append(", \"serverMessages\": ").append(strings(s.serverMessages()))
                    .append(", \"hazards\": ").append(s.hazards().size())
                    .append(", \"timeline\": [");
            int k = 0;
            for (TimelineSpan span : s.timeline()) {
                b.append(k++ == 0 ? "" : ", ").append("{\"table\": ").append(str(span.table()))
                        .append(", \"kind\": ").append(str(span.kind().name()))
                        .append(", \"lock\": ").append(str(span.lock() == null ? null : span.lock().name()))
                        .append(", \"startMillis\": ").append(span.start().toMillis())
                        .append(", \"endMillis\": ").append(span.end().toMillis()).append('}');
            }
            b.append("]}");
        }
        b.append(steps.isEmpty() ? "]\n" : "\n  ]\n");
        return b.append("}\n").toString();
    }

    private static String migration(Migration m) {
        return "{\"version\": " + str(m.version()) + ", \"description\": " + str(m.description()) + ", \"script\": "
                + str(m.script()) + "}";
    }

    private static String strings(java.util.Collection<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            b.append(b.length() == 1 ? "" : ", ").append(str(v));
        }
        return b.append(']').toString();
    }

    static String str(String s) {
        return s == null ? "null" : dev.stateful.internal.Json.quote(s);
    }

    // ---------------------------------------------------------------- HTML

    static final String STYLE = "body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:1150px;padding:0 1rem;"
            + "color:#222;overflow-wrap:anywhere}"
            + "table{border-collapse:collapse;margin-bottom:1em;width:100%;table-layout:fixed}"
            + "td,th{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}"
            + "tr.hazard{background:#fdd}ol.hazards{padding-left:1.5rem}ol.hazards li{margin:.6rem 0;padding:.5rem .7rem;"
            + "background:#fff3f3;border-left:4px solid #a50f15}.advice{font-weight:600;margin:.3rem 0 0}"
            + ".evidence{color:#555;margin:.3rem 0 0;font-size:.9em}section.migration{margin-top:1.5rem}"
            + "svg.timeline{display:block;max-width:100%;height:auto;font-size:12px}svg .tick,svg .lane-note{fill:#555;"
            + "font-size:11px}svg .axis-title{fill:#555;font-size:11px}svg .lane-label{font-size:12px;font-weight:600}"
            + "svg .hazard-label{font-size:11px;font-weight:700}ul.legend{list-style:none;padding:0;margin:.3rem 0 1rem;"
            + "display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-size:.9em}.swatch{display:inline-block;width:1.4em;"
            + "height:.9em;margin-right:.35em;vertical-align:middle}.swatch.thin{height:.35em}";

    static String html(String title, MigrationResult r) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>Migrations: ")
                .append(esc(title)).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        b.append("<h1>Migrations: ").append(esc(title)).append("</h1>\n<p>From ")
                .append(r.fromVersion() == null ? "an empty schema" : "version " + esc(r.fromVersion()))
                .append(" to version ").append(esc(String.valueOf(r.toVersion()))).append(" in ").append(r.duration().toMillis())
                .append(" ms.</p>\n<h2>Hazards (").append(r.hazards().size()).append(")</h2>\n");
        List<Hazard> hazards = r.hazards();
        if (hazards.isEmpty()) {
            b.append("<p>None.</p>\n");
        } else {
            b.append("<ol class=\"hazards\">\n");
            for (Hazard h : hazards) {
                b.append("<li class=\"hazard\"><strong>H").append(hazards.indexOf(h) + 1).append(" ").append(h.kind())
                        .append("</strong> on <code>").append(esc(h.table())).append("</code> (")
                        .append(h.rows() < 0 ? "unknown number of" : h.rows()).append(" rows) in ")
                        .append(esc(h.migration().toString())).append(": ")
                        .append(h.lock() == null ? "no table lock seen" : h.lock().sqlName() + " held "
                                + h.held().toMillis() + " ms")
                        .append(", reads blocked ").append(h.readsBlocked().toMillis()).append(" ms, writes blocked ")
                        .append(h.writesBlocked().toMillis()).append(" ms.")
                        .append("<p class=\"advice\">Fix: ").append(esc(h.advice())).append("</p>");
                if (!h.evidence().isEmpty()) {
                    b.append("<p class=\"evidence\">Evidence: ").append(esc(h.evidence())).append("</p>");
                }
                b.append("</li>\n");
            }
            b.append("</ol>\n");
        }
        for (int i = 0; i < r.steps().size(); i++) {
            MigrationStep s = r.steps().get(i);
            b.append("<section class=\"migration\" id=\"migration-").append(i + 1).append("\">\n<h2>").append(esc(s.migration().toString())).append("</h2>\n<p>")
                    .append(s.failed() ? "Failed after " : "Took ").append(s.duration().toMillis()).append(" ms")
                    .append(s.transactional() ? ", in a transaction" : ", outside a transaction")
                    .append(s.observationComplete() ? "" : "; observation incomplete").append(".</p>\n");
            b.append(MigrationTimelineSvg.render(s, hazards));
            if (!s.tables().isEmpty()) {
                b.append("<table><tr><th>Table</th><th>Strongest lock</th><th>Held ms</th><th>Reads blocked ms</th>"
                        + "<th>Writes blocked ms</th><th>Rewritten</th></tr>\n");
                for (String table : s.tables()) {
                    boolean hazard = s.hazards().stream().anyMatch(h -> h.table().equals(table));
                    b.append(hazard ? "<tr class=\"hazard\"><td>" : "<tr><td>").append(esc(table)).append("</td><td>")
                            .append(s.locks().containsKey(table) ? s.locks().get(table).sqlName() : "").append("</td><td>")
                            .append(s.held(table).toMillis()).append("</td><td>").append(s.readsBlocked(table).toMillis())
                            .append("</td><td>").append(s.writesBlocked(table).toMillis()).append("</td><td>")
                            .append(s.rewrittenTables().contains(table) ? "yes" : "").append("</td></tr>\n");
                }
                b.append("</table>\n");
            }
            if (!s.indexesBuilt().isEmpty()) {
                b.append("<p>Indexes built: ").append(esc(String.join(", ", s.indexesBuilt()))).append("</p>\n");
            }
            b.append("</section>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
