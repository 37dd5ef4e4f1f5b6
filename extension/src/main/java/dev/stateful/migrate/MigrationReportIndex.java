package dev.stateful.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's {@code index.html} in the report directory: every class's (and method's) migrations
 * with the worst time a read or a write was blocked and the hazards, worst first, each linking its
 * {@code migrations.html}. {@code @MigratedTo} keeps one per test run and writes it after each
 * report and at the end of the run, passed or failed; code outside JUnit can keep its own.
 * Safe to use from classes running in parallel.
 *
 * <pre>{@code
 * MigrationReportIndex index = new MigrationReportIndex(Path.of("target/stateful-reports"));
 * Path dir = Path.of("target/stateful-reports/OrdersMigrationTest");
 * result.writeReport(dir, "OrdersMigrationTest");
 * index.add("OrdersMigrationTest", dir, result, null);   // writes index.html
 * }</pre>
 */
public final class MigrationReportIndex {
    /** The index's file name in the report directory. */
    public static final String HTML = "index.html";
    private static final Logger LOG = LoggerFactory.getLogger(MigrationReportIndex.class);

    /**
     * One report: where, its file relative to the root, what it observed ({@code null} when no
     * migration ran: the state came from the cache or a snapshot), how it failed (or {@code null}).
     */
    record Entry(String where, Path report, MigrationResult result, String failure) {
        int hazards() {
            return result == null ? 0 : result.hazards().size();
        }

        Duration worstReads() {
            return result == null ? Duration.ZERO : result.steps().stream().flatMap(s -> s.tables().stream().map(s::readsBlocked))
                    .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
        }

        Duration worstWrites() {
            return result == null ? Duration.ZERO : result.steps().stream().flatMap(s -> s.tables().stream().map(s::writesBlocked))
                    .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
        }

        Duration worst() {
            Duration r = worstReads();
            Duration w = worstWrites();
            return r.compareTo(w) >= 0 ? r : w;
        }
    }

    private final Path root;
    private final List<Entry> entries = new ArrayList<>();

    /**
     * Create an index whose {@code index.html} is written into a directory.
     *
     * @param root the report directory; reports inside it are linked relatively
     */
    public MigrationReportIndex(Path root) {
        this.root = root;
    }

    /**
     * A report was written into {@code dir}: list it (replacing an earlier entry for the same
     * report), and write the index.
     *
     * @param where the class or method the report is about
     * @param dir the directory the report was written into
     * @param result what the migrations observed
     * @param failure how it failed, such as {@code "migration failed"}, or {@code null}
     */
    public synchronized void add(String where, Path dir, MigrationResult result, String failure) {
        Path relative = relative(dir);
        entries.removeIf(e -> e.report().equals(relative));
        entries.add(new Entry(where, relative, result, failure));
        write();
    }

    /**
     * No migration ran for {@code where} (the state came from the cache or a snapshot): list it as
     * such, unless this run observed its migrations before (a method's earlier invocation).
     *
     * @param where the class or method
     * @param dir the directory its report would be in
     */
    public synchronized void unobserved(String where, Path dir) {
        Path relative = relative(dir);
        if (entries.stream().noneMatch(e -> e.report().equals(relative) && e.result() != null)) {
            add(where, dir, null, null);
        }
    }

    private Path relative(Path dir) {
        Path report = dir.resolve(MigrationResult.REPORT_HTML).toAbsolutePath();
        return report.startsWith(root.toAbsolutePath()) ? root.toAbsolutePath().relativize(report) : report;
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Write the index one last time and log where it is (when anything was listed). */
    public synchronized void close() {
        if (!entries.isEmpty()) {
            write();
            LOG.info("Migration reports of this run: {}", root.resolve(HTML).toAbsolutePath());
        }
    }

    private void write() {
        try {
            Files.createDirectories(root);
            Path target = root.resolve(HTML);
            Path temporary = Files.createTempFile(root, HTML, ".tmp");
            Files.writeString(temporary, html(entries), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // The class reports are written; a missing index must not fail a test.
            LOG.warn("Cannot write the index of the migration reports into {}: {}. Fix: use a writable "
                    + "directory (for @MigratedTo, set stateful.report-dir to one).", root.toAbsolutePath(), e.getMessage());
        }
    }

    /** The entries worst first: longest blocked read or write, then most hazards, then by name. */
    static List<Entry> sorted(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::worst).reversed()
                .thenComparing(e -> -e.hazards())
                .thenComparing(Entry::where));
        return sorted;
    }

    static String html(List<Entry> entries) {
        List<Entry> sorted = sorted(entries);
        int hazards = entries.stream().mapToInt(Entry::hazards).sum();
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>Migration reports</title>\n<style>")
                .append(MigrationReportFiles.STYLE)
                .append("td.num{text-align:right}col.where{width:28%}col.worst{width:13%}ol,ul{margin:0;padding-left:1.2rem}"
                        + ".failed{color:#a50f15;font-weight:600}")
                .append("</style></head><body>\n<h1>Migration reports</h1>\n<p>")
                .append(entries.size()).append(entries.size() == 1 ? " report, " : " reports, ").append(hazards)
                .append(hazards == 1 ? " hazard" : " hazards")
                .append("; worst first (the longest time a read or a write of a table was blocked).</p>\n")
                .append("<table id=\"reports\"><colgroup><col class=\"where\"><col class=\"worst\"><col><col></colgroup>\n"
                        + "<tr><th>Class</th><th>Worst blocked</th><th>Migrations (worst blocked)</th><th>Hazards</th></tr>\n");
        for (Entry e : sorted) {
            if (e.result() == null) {
                b.append("<tr class=\"report unobserved\"><td>").append(esc(e.where()).replace(".", ".<wbr>"))
                        .append("</td><td class=\"num worst\">-</td><td>none ran: the state came from the state cache "
                                + "or a snapshot (failOnHazard = true observes every run)</td><td>not observed</td></tr>\n");
                continue;
            }
            String href = e.report().toString().replace(java.io.File.separatorChar, '/');
            b.append("<tr class=\"report\"><td><a href=\"").append(esc(href)).append("\">").append(esc(e.where()).replace(".", ".<wbr>"))
                    .append("</a>").append(e.failure() == null ? "" : " <span class=\"failed\">" + e.failure() + "</span>")
                    .append("</td><td class=\"num worst\">").append(e.worst().toMillis()).append(" ms<br><small>reads ")
                    .append(e.worstReads().toMillis()).append(" ms, writes ").append(e.worstWrites().toMillis())
                    .append(" ms</small></td><td><ol>");
            for (int i = 0; i < e.result().steps().size(); i++) {
                MigrationStep s = e.result().steps().get(i);
                Duration worst = s.tables().stream()
                        .map(t -> max(s.readsBlocked(t), s.writesBlocked(t))).max(Comparator.naturalOrder())
                        .orElse(Duration.ZERO);
                b.append("<li><a class=\"step\" href=\"").append(esc(href)).append("#migration-").append(i + 1).append("\">")
                        .append(esc(s.migration().toString())).append("</a> (").append(worst.toMillis())
                        .append(" ms)").append(s.failed() ? " <span class=\"failed\">failed</span>" : "").append("</li>");
            }
            if (e.result().steps().isEmpty()) {
                b.append("<li>").append(e.result().applied().size()).append(" applied, none observed</li>");
            }
            b.append("</ol></td><td>");
            if (e.result().hazards().isEmpty()) {
                b.append("none");
            } else {
                b.append("<ul>");
                for (Hazard h : e.result().hazards()) {
                    b.append("<li class=\"hazard\">").append(h.kind()).append(" on ").append(esc(h.table()))
                            .append(" in ").append(esc(h.migration().toString())).append("</li>");
                }
                b.append("</ul>");
            }
            b.append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
