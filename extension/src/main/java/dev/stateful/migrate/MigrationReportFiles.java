package dev.stateful.migrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Write {@code migrations.json} and {@code migrations.html} for one migration run: the hazards
 * first, then one table per migration (each table it locked, with the lock, the time held, the
 * blocked reads and writes, and whether it was rewritten).
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

    static Set<String> tables(MigrationStep step) {
        Set<String> tables = new LinkedHashSet<>(step.locks().keySet());
        tables.addAll(step.rewrittenTables());
        return tables;
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
            for (String table : tables(s)) {
                b.append(t++ == 0 ? "" : ", ").append("{\"table\": ").append(str(table))
                        .append(", \"lock\": ").append(str(s.locks().containsKey(table) ? s.locks().get(table).name() : null))
                        .append(", \"heldMillis\": ").append(s.held(table).toMillis())
                        .append(", \"readsBlockedMillis\": ").append(s.readsBlocked(table).toMillis())
                        .append(", \"writesBlockedMillis\": ").append(s.writesBlocked(table).toMillis())
                        .append(", \"rewritten\": ").append(s.rewrittenTables().contains(table)).append('}');
            }
            b.append("], \"indexesBuilt\": ").append(strings(s.indexesBuilt()))
                    .append(", \"serverMessages\": ").append(strings(s.serverMessages()))
                    .append(", \"hazards\": ").append(s.hazards().size()).append('}');
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
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    // ---------------------------------------------------------------- HTML

    static String html(String title, MigrationResult r) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Migrations: ")
                .append(esc(title)).append("</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse;"
                        + "margin-bottom:1em}td,th{border:1px solid #999;padding:2px 6px;text-align:left}"
                        + ".hazard{background:#fdd}</style></head><body>\n");
        b.append("<h1>Migrations: ").append(esc(title)).append("</h1>\n<p>From ").append(esc(String.valueOf(r.fromVersion())))
                .append(" to ").append(esc(String.valueOf(r.toVersion()))).append(" in ").append(r.duration().toMillis())
                .append(" ms.</p>\n<h2>Hazards (").append(r.hazards().size()).append(")</h2>\n");
        if (r.hazards().isEmpty()) {
            b.append("<p>None.</p>\n");
        } else {
            b.append("<table><tr><th>Migration</th><th>Kind</th><th>Table</th><th>Rows</th><th>Lock</th><th>Held ms</th>"
                    + "<th>Reads blocked ms</th><th>Writes blocked ms</th><th>Evidence</th><th>Advice</th></tr>\n");
            for (Hazard h : r.hazards()) {
                b.append("<tr class=\"hazard\"><td>").append(esc(h.migration().toString())).append("</td><td>")
                        .append(h.kind()).append("</td><td>").append(esc(h.table())).append("</td><td>").append(h.rows())
                        .append("</td><td>").append(h.lock() == null ? "" : h.lock().sqlName()).append("</td><td>")
                        .append(h.held().toMillis()).append("</td><td>").append(h.readsBlocked().toMillis())
                        .append("</td><td>").append(h.writesBlocked().toMillis()).append("</td><td>")
                        .append(esc(h.evidence())).append("</td><td>").append(esc(h.advice())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        for (MigrationStep s : r.steps()) {
            b.append("<h2>").append(esc(s.migration().toString())).append("</h2>\n<p>")
                    .append(s.failed() ? "Failed after " : "Took ").append(s.duration().toMillis()).append(" ms")
                    .append(s.transactional() ? ", in a transaction" : ", outside a transaction")
                    .append(s.observationComplete() ? "" : "; observation incomplete").append(".</p>\n");
            b.append("<table><tr><th>Table</th><th>Strongest lock</th><th>Held ms</th><th>Reads blocked ms</th>"
                    + "<th>Writes blocked ms</th><th>Rewritten</th></tr>\n");
            for (String table : tables(s)) {
                boolean hazard = s.hazards().stream().anyMatch(h -> h.table().equals(table));
                b.append(hazard ? "<tr class=\"hazard\"><td>" : "<tr><td>").append(esc(table)).append("</td><td>")
                        .append(s.locks().containsKey(table) ? s.locks().get(table).sqlName() : "").append("</td><td>")
                        .append(s.held(table).toMillis()).append("</td><td>").append(s.readsBlocked(table).toMillis())
                        .append("</td><td>").append(s.writesBlocked(table).toMillis()).append("</td><td>")
                        .append(s.rewrittenTables().contains(table) ? "yes" : "").append("</td></tr>\n");
            }
            b.append("</table>\n");
            if (!s.indexesBuilt().isEmpty()) {
                b.append("<p>Indexes built: ").append(esc(String.join(", ", s.indexesBuilt()))).append("</p>\n");
            }
        }
        return b.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
