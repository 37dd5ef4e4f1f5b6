package dev.stateful.drill.cli;

/** A strict little JSON syntax check for tests, so that report.json is known to parse. */
final class JsonShape {
    private final String text;
    private int pos;

    private JsonShape(String text) {
        this.text = text;
    }

    static boolean isObject(String json) {
        JsonShape p = new JsonShape(json);
        try {
            p.ws();
            if (p.peek() != '{') {
                return false;
            }
            p.value();
            p.ws();
            return p.pos == json.length();
        } catch (IllegalStateException | StringIndexOutOfBoundsException e) {
            return false;
        }
    }

    private char peek() {
        return text.charAt(pos);
    }

    private void ws() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private void expect(char c) {
        ws();
        if (text.charAt(pos) != c) {
            throw new IllegalStateException("expected " + c + " at " + pos);
        }
        pos++;
    }

    private void value() {
        ws();
        char c = peek();
        if (c == '{') {
            pos++;
            ws();
            if (peek() == '}') {
                pos++;
                return;
            }
            do {
                ws();
                string();
                expect(':');
                value();
                ws();
            } while (text.charAt(pos++) == ',');
            if (text.charAt(pos - 1) != '}') {
                throw new IllegalStateException("expected } at " + pos);
            }
        } else if (c == '[') {
            pos++;
            ws();
            if (peek() == ']') {
                pos++;
                return;
            }
            do {
                value();
                ws();
            } while (text.charAt(pos++) == ',');
            if (text.charAt(pos - 1) != ']') {
                throw new IllegalStateException("expected ] at " + pos);
            }
        } else if (c == '"') {
            string();
        } else if (text.startsWith("true", pos) || text.startsWith("null", pos)) {
            pos += 4;
        } else if (text.startsWith("false", pos)) {
            pos += 5;
        } else {
            int start = pos;
            while (pos < text.length() && "-+.eE0123456789".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalStateException("unexpected " + c + " at " + pos);
            }
        }
    }

    private void string() {
        if (text.charAt(pos) != '"') {
            throw new IllegalStateException("expected a string at " + pos);
        }
        pos++;
        while (text.charAt(pos) != '"') {
            if (text.charAt(pos) < 0x20) {
                throw new IllegalStateException("control character in a string at " + pos);
            }
            pos += text.charAt(pos) == '\\' ? 2 : 1;
        }
        pos++;
    }
}
