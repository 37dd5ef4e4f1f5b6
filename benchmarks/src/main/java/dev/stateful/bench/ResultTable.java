package dev.stateful.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collect benchmark rows and render them as a Markdown table and as CSV. */
public final class ResultTable {
    /**
     * One measured variant.
     *
     * @param scenario what is measured, e.g. "reset 10 MB database"
     * @param variant how, e.g. "Stateful restore (pooled)"
     * @param stats its timings
     * @param baselineMedianMillis the median of the scenario's reference variant, for the ratio
     * @param note anything else (throughput, sizes)
     */
    public record Row(String scenario, String variant, Stats stats, double baselineMedianMillis, String note) {
        double ratio() {
            return baselineMedianMillis / stats.medianMillis();
        }
    }

    private final List<Row> rows = new ArrayList<>();

    /**
     * Add a row.
     *
     * @param row the row
     */
    public void add(Row row) {
        rows.add(row);
    }

    /**
     * Return the rows.
     *
     * @return the rows, in insertion order
     */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /**
     * Render the Markdown table: one line per row, with the speed-up against the scenario's reference.
     *
     * @return the table
     */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| scenario | variant | n | median ms | p95 ms | speed-up vs reference | note |\n");
        out.append("|---|---|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.1f× | %s |%n", r.scenario(), r.variant(),
                    r.stats().samples(), r.stats().medianMillis(), r.stats().p95Millis(), r.ratio(), r.note()));
        }
        return out.toString();
    }

    /**
     * Render CSV with a header line.
     *
     * @return the CSV text
     */
    public String csv() {
        StringBuilder out = new StringBuilder("scenario,variant,samples,median_ms,p95_ms,speedup_vs_reference,note\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "\"%s\",\"%s\",%d,%.3f,%.3f,%.3f,\"%s\"%n", r.scenario(), r.variant(),
                    r.stats().samples(), r.stats().medianMillis(), r.stats().p95Millis(), r.ratio(), r.note().replace("\"", "'")));
        }
        return out.toString();
    }

    /**
     * Write {@code <name>.csv} and {@code <name>.md} into a directory: each benchmark its own
     * pair, so one run does not overwrite another's results.
     *
     * @param dir the directory, created when missing
     * @param name the files' name without extension, such as {@code results} or {@code reset-results}
     * @param header a line describing the machine and the run, written above the Markdown table
     * @throws IOException when writing fails
     */
    public void write(Path dir, String name, String header) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".csv"), csv());
        Files.writeString(dir.resolve(name + ".md"), header + "\n\n" + markdown());
    }
}
