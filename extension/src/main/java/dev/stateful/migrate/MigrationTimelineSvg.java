package dev.stateful.migrate;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Draw one migration's timeline as inline SVG: a time axis, one lane per table the migration
 * touched, a bar per lock held (coloured by mode), the stretches in which reads and writes of the
 * table would have waited, and a marker where each hazard happened. The drawing scales to the
 * width of the page (a {@code viewBox}, {@code width="100%"}), so it never scrolls sideways.
 */
final class MigrationTimelineSvg {
    static final int WIDTH = 1000;
    private static final int LABEL = 190;
    private static final int RIGHT = 20;
    private static final int LANE = 44;
    private static final int TOP = 22;
    private static final int AXIS = 26;

    private MigrationTimelineSvg() {
    }

    /** The colour of a lock mode: blue for modes that block nothing a live application does, orange for writes, red for reads too. */
    static String colour(LockMode mode) {
        return switch (mode) {
            case ACCESS_SHARE -> "#c6dbef";
            case ROW_SHARE -> "#9ecae1";
            case ROW_EXCLUSIVE -> "#6baed6";
            case SHARE_UPDATE_EXCLUSIVE -> "#3182bd";
            case SHARE -> "#fdae6b";
            case SHARE_ROW_EXCLUSIVE -> "#f16913";
            case EXCLUSIVE -> "#d94801";
            case ACCESS_EXCLUSIVE -> "#a50f15";
        };
    }

    static String render(MigrationStep step, List<Hazard> numbered) {
        List<String> tables = List.copyOf(step.tables());
        if (tables.isEmpty()) {
            return "<p class=\"no-lanes\">No table that existed before this migration was locked.</p>\n";
        }
        long total = Math.max(1, step.duration().toNanos());
        for (TimelineSpan s : step.timeline()) {
            total = Math.max(total, s.end().toNanos());
        }
        double scale = (WIDTH - LABEL - RIGHT) / (double) total;
        int height = TOP + tables.size() * LANE + AXIS;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"timeline\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
                + "preserveAspectRatio=\"xMinYMin meet\">%n", WIDTH, height));
        b.append("<title>Timeline of ").append(esc(step.migration().toString())).append("</title>\n");
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" class=\"axis-title\">time since the migration "
                + "started</text>%n", LABEL));
        Set<LockMode> used = EnumSet.noneOf(LockMode.class);
        for (int i = 0; i < tables.size(); i++) {
            String table = tables.get(i);
            int y = TOP + i * LANE;
            b.append("<g class=\"lane\" data-table=\"").append(esc(table)).append("\">\n");
            b.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", y,
                    WIDTH, LANE, i % 2 == 0 ? "#f7f7f7" : "#ffffff"));
            b.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"%d\" class=\"lane-label\"><title>%s</title>%s</text>%n",
                    y + 19, esc(table), esc(shorten(table))));
            b.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"%d\" class=\"lane-note\">%s</text>%n", y + 35,
                    esc(note(step, table))));
            for (TimelineSpan s : step.timeline()) {
                if (!s.table().equals(table) || hidden(step, s)) {
                    continue;
                }
                double x = LABEL + s.start().toNanos() * scale;
                double w = Math.max(2, s.duration().toNanos() * scale);
                String what;
                String tip;
                int top;
                int h;
                switch (s.kind()) {
                    case LOCK_HELD -> {
                        used.add(s.lock());
                        what = "lock mode-" + s.lock().name().toLowerCase(Locale.ROOT).replace('_', '-');
                        tip = s.lock().sqlName() + " held";
                        top = y + 6;
                        h = 16;
                    }
                    case READS_BLOCKED -> {
                        what = "reads-blocked";
                        tip = "reads blocked";
                        top = y + 25;
                        h = 6;
                    }
                    default -> {
                        what = "writes-blocked";
                        tip = "writes blocked";
                        top = y + 33;
                        h = 6;
                    }
                }
                String fill = s.kind() == TimelineSpan.Kind.LOCK_HELD ? colour(s.lock())
                        : s.kind() == TimelineSpan.Kind.READS_BLOCKED ? "#cb181d" : "#fd8d3c";
                b.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                        + "fill=\"%s\"><title>%s: %s %s to %s (%s)</title></rect>%n", what, x, top, w, h, fill,
                        esc(table), tip, ms(s.start()), ms(s.end()), ms(s.duration())));
            }
            int marks = 0;
            for (Hazard hazard : step.hazards()) {
                if (!hazard.table().equals(table)) {
                    continue;
                }
                double x = LABEL + at(step, hazard).toNanos() * scale;
                int number = numbered.indexOf(hazard) + 1;
                double labelX = x + 8 + 26 * marks++; // hazards at the same moment: labels side by side
                b.append(String.format(Locale.ROOT, "<g class=\"hazard-mark\"><title>Hazard %d: %s</title>"
                        + "<path d=\"M %.1f %d l -6 -9 h 12 z\" fill=\"#000\"/>"
                        + "<text x=\"%.1f\" y=\"%d\" class=\"hazard-label\">H%d</text></g>%n", number,
                        esc(hazard.kind() + " on " + hazard.table()), x, y + 6, labelX, y + 8, number));
            }
            b.append("</g>\n");
        }
        int axisY = TOP + tables.size() * LANE;
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>%n", LABEL,
                axisY, WIDTH - RIGHT, axisY));
        long step10 = tick(total);
        for (long t = 0; t <= total; t += step10) {
            double x = LABEL + t * scale;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>%n", x, axisY, x,
                    axisY + 5, x, axisY + 18, ms(Duration.ofNanos(t))));
        }
        b.append("</svg>\n");
        b.append(legend(used));
        return b.toString();
    }

    /**
     * Whether a lock span lies wholly under a span of a stronger mode on the same table: the lane
     * shows, at each moment, the strongest mode held (Postgres keeps every lock until the end of the
     * transaction, so a weaker one taken later changes nothing for the application).
     */
    static boolean hidden(MigrationStep step, TimelineSpan span) {
        if (span.kind() != TimelineSpan.Kind.LOCK_HELD) {
            return false;
        }
        for (TimelineSpan other : step.timeline()) {
            if (other.kind() == TimelineSpan.Kind.LOCK_HELD && other.table().equals(span.table())
                    && other.lock().ordinal() > span.lock().ordinal() && other.start().compareTo(span.start()) <= 0
                    && other.end().compareTo(span.end()) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Where a hazard happened: the start of the strongest lock on its table, else of its first blocked stretch. */
    static Duration at(MigrationStep step, Hazard hazard) {
        Duration first = null;
        for (TimelineSpan s : step.timeline()) {
            if (!s.table().equals(hazard.table())) {
                continue;
            }
            if (s.kind() == TimelineSpan.Kind.LOCK_HELD && s.lock() == hazard.lock()) {
                return s.start();
            }
            if (first == null) {
                first = s.start();
            }
        }
        return first == null ? Duration.ZERO : first;
    }

    private static String note(MigrationStep step, String table) {
        LockMode mode = step.locks().get(table);
        String lock = mode == null ? "no lock seen" : mode.sqlName();
        return lock + (step.rewrittenTables().contains(table) ? ", rewritten" : "");
    }

    private static String shorten(String table) {
        return table.length() <= 26 ? table : table.substring(0, 25) + "\u2026";
    }

    private static String legend(Set<LockMode> used) {
        StringBuilder b = new StringBuilder("<ul class=\"legend\">");
        for (LockMode mode : used) {
            b.append("<li><span class=\"swatch\" style=\"background:").append(colour(mode)).append("\"></span>")
                    .append(mode.sqlName()).append(" held").append(mode.blocksReads() ? " (blocks reads and writes)"
                            : mode.blocksWrites() ? " (blocks writes)" : "").append("</li>");
        }
        b.append("<li><span class=\"swatch thin\" style=\"background:#cb181d\"></span>reads blocked</li>")
                .append("<li><span class=\"swatch thin\" style=\"background:#fd8d3c\"></span>writes blocked</li>")
                .append("<li>\u25bc H<i>n</i> hazard <i>n</i></li></ul>\n");
        return b.toString();
    }

    /** A tick spacing of 1, 2 or 5 times a power of ten giving at most about eight ticks. */
    static long tick(long totalNanos) {
        long unit = 1_000_000; // 1 ms
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (totalNanos / (unit * m) <= 8) {
                    return unit * m;
                }
            }
            unit *= 10;
        }
    }

    static String ms(Duration d) {
        long millis = d.toMillis();
        return millis >= 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : millis + " ms";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
