package dev.stateful.internal;

import java.util.Locale;

/** The JSON the reports write by hand: one way to quote a string. Not API. */
public final class Json {
    private Json() {
    }

    /**
     * Quote a string as a JSON string literal.
     *
     * @param value the text
     * @return the literal, with its quotes
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
