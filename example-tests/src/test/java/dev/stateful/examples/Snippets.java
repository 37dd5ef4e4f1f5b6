package dev.stateful.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Code snippets in documentation pages, taken from tagged regions of compiled sources.
 *
 * <p>A page marks a snippet with {@code <!-- snippet: path/from/root/File.java#name -->} on the
 * line before a fenced block; the source holds the region between {@code // tag::name[]} and
 * {@code // end::name[]}. A {@code java} block without a marker is refused unless it is marked
 * {@code <!-- not-a-snippet: reason -->}.
 */
final class Snippets {
    static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*([^#\\s]+)#([\\w.-]+)\\s*-->\\s*$");
    static final Pattern NOT_A_SNIPPET = Pattern.compile("^\\s*<!--\\s*not-a-snippet:\\s*\\S.*-->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^(\\s*)```([\\w+-]*)\\s*$");

    private Snippets() {
    }

    /** One problem of a page, as a line a reader can act on. */
    record Problem(String page, int line, String text) {
        @Override
        public String toString() {
            return page + ":" + line + ": " + text;
        }
    }

    /** A page checked: its problems, how many snippets it has, and its text with every snippet refreshed. */
    record Result(List<Problem> problems, int snippets, String updated) {
    }

    /**
     * Checks one page. {@code sources} reads a file given relative to the repository root
     * (empty when it does not exist).
     */
    static Result check(String page, String text, Function<String, Optional<String>> sources) {
        List<Problem> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder();
        int snippets = 0;
        String pendingMarker = null;
        int markerLine = 0;
        boolean exempt = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher marker = MARKER.matcher(line);
            Matcher fence = FENCE.matcher(line);
            if (marker.matches()) {
                pendingMarker = marker.group(1) + "#" + marker.group(2);
                markerLine = i + 1;
                append(out, line, i, lines.length);
                continue;
            }
            if (NOT_A_SNIPPET.matcher(line).matches()) {
                exempt = true;
                append(out, line, i, lines.length);
                continue;
            }
            if (fence.matches() && !fence.group(2).isEmpty() || fence.matches() && pendingMarker != null) {
                int end = closingFence(lines, i + 1);
                if (end < 0) {
                    problems.add(new Problem(page, i + 1, "code block is never closed with ```"));
                    append(out, line, i, lines.length);
                    continue;
                }
                String block = String.join("\n", java.util.Arrays.copyOfRange(lines, i + 1, end));
                String replacement = block;
                if (pendingMarker != null) {
                    snippets++;
                    String ref = pendingMarker;
                    String path = ref.substring(0, ref.indexOf('#'));
                    String tag = ref.substring(ref.indexOf('#') + 1);
                    Optional<String> source = sources.apply(path);
                    if (source.isEmpty()) {
                        problems.add(new Problem(page, markerLine, "snippet " + ref + ": file " + path
                                + " does not exist; expected a path from the repository root. Fix: correct the path"
                                + " in the marker (a class was moved or renamed?)"));
                    } else {
                        Optional<String> region = region(source.get(), tag);
                        if (region.isEmpty()) {
                            problems.add(new Problem(page, markerLine, "snippet " + ref + ": " + path
                                    + " has no region between '// tag::" + tag + "[]' and '// end::" + tag
                                    + "[]'. Fix: add the tags around the code, or correct the name in the marker"));
                        } else if (!region.get().equals(stripTrailingBlankLines(block))) {
                            problems.add(new Problem(page, markerLine, "snippet " + ref + " differs from " + path
                                    + firstDifference(region.get(), block) + ". Fix: run the test with"
                                    + " -Dstateful.docs.update=true to copy the sources into the pages"));
                            replacement = region.get();
                        }
                    }
                } else if (fence.group(2).startsWith("java") && !exempt) {
                    problems.add(new Problem(page, i + 1, "java code block without a snippet marker; expected"
                            + " '<!-- snippet: path/File.java#name -->' on the line before it, so that the code is"
                            + " compiled and run. Fix: move the code into an example test, tag it, and mark the block"));
                }
                append(out, line, i, lines.length);
                out.append(replacement).append('\n');
                append(out, lines[end], end, lines.length);
                i = end;
                pendingMarker = null;
                exempt = false;
                continue;
            }
            if (pendingMarker != null && !line.isBlank()) {
                problems.add(new Problem(page, markerLine, "snippet marker " + pendingMarker
                        + " is not followed by a code block"));
                pendingMarker = null;
            }
            if (!line.isBlank()) {
                exempt = false;
            }
            append(out, line, i, lines.length);
        }
        return new Result(problems, snippets, out.toString());
    }

    private static void append(StringBuilder out, String line, int index, int count) {
        out.append(line);
        if (index < count - 1) {
            out.append('\n');
        }
    }

    private static int closingFence(String[] lines, int from) {
        for (int j = from; j < lines.length; j++) {
            if (lines[j].strip().equals("```")) {
                return j;
            }
        }
        return -1;
    }

    /**
     * The lines between {@code tag::name[]} and {@code end::name[]} (any comment style), without
     * lines of other tags nested inside, with their common indentation and trailing blank lines
     * removed; empty when the region does not exist.
     */
    static Optional<String> region(String source, String tag) {
        String start = "tag::" + tag + "[]";
        String end = "end::" + tag + "[]";
        List<String> taken = new ArrayList<>();
        boolean inside = false;
        boolean closed = false;
        for (String line : source.split("\r?\n", -1)) {
            if (isTagLine(line, start)) {
                inside = true;
            } else if (isTagLine(line, end)) {
                closed = inside;
                break;
            } else if (inside && !line.matches(".*\\b(tag|end)::[\\w.-]+\\[\\]\\s*$")) {
                taken.add(line);
            }
        }
        if (!closed) {
            return Optional.empty();
        }
        int indent = taken.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        List<String> stripped = taken.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
        return Optional.of(stripTrailingBlankLines(String.join("\n", stripped)));
    }

    private static boolean isTagLine(String line, String tagText) {
        String t = line.strip();
        return t.endsWith(tagText) && (t.startsWith("//") || t.startsWith("#") || t.startsWith("--") || t.startsWith("<!--"))
                || t.startsWith("<!--") && t.contains(tagText);
    }

    private static String stripTrailingBlankLines(String text) {
        String s = text;
        while (s.endsWith("\n") || s.endsWith(" ")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = stripTrailingBlankLines(actual).split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "(nothing)";
            String al = i < a.length ? a[i] : "(nothing)";
            if (!el.equals(al)) {
                return " at line " + (i + 1) + " of the block: the source has [" + el.strip() + "], the page ["
                        + al.strip() + "]";
            }
        }
        return "";
    }

    /** Reads a file relative to {@code root}. */
    static Function<String, Optional<String>> filesUnder(Path root) {
        return path -> {
            Path file = root.resolve(path).normalize();
            return file.startsWith(root) && Files.isRegularFile(file) ? Optional.of(DocsFiles.read(file)) : Optional.empty();
        };
    }
}
