package dev.stateful.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The string literals of Java sources, unescaped, one entry per literal (text blocks included). */
final class SourceLiterals {
    private SourceLiterals() {
    }

    /** Every string literal of every {@code .java} file below the given directories. */
    static List<String> of(List<Path> dirs) {
        List<String> literals = new ArrayList<>();
        for (Path dir : dirs) {
            for (Path file : DocsFiles.javaSources(dir)) {
                literals.addAll(in(DocsFiles.read(file)));
            }
        }
        return literals;
    }

    /** The string literals of one source, skipping comments and char literals. */
    static List<String> in(String src) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                i = src.indexOf('\n', i);
                if (i < 0) {
                    break;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'') {
                i = skipQuoted(src, i + 1, '\'');
            } else if (src.startsWith("\"\"\"", i)) {
                int start = src.indexOf('\n', i) + 1;
                int end = src.indexOf("\"\"\"", start);
                out.add(unescape(textBlock(src.substring(start, end))));
                i = end + 3;
            } else if (c == '"') {
                int end = skipQuoted(src, i + 1, '"');
                out.add(unescape(src.substring(i + 1, end - 1)));
                i = end;
            } else {
                i++;
            }
        }
        return out;
    }

    private static int skipQuoted(String src, int from, char quote) {
        int i = from;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }

    private static String textBlock(String body) {
        return body.stripIndent().replace("\\\n", "");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 's' -> b.append(' ');
                case 'u' -> {
                    while (s.charAt(i) == 'u') {
                        i++;
                    }
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 3;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }
}
