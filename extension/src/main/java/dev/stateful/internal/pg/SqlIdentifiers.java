package dev.stateful.internal.pg;

/** Quote SQL identifiers and literals for statements Stateful builds itself. */
public final class SqlIdentifiers {
    private SqlIdentifiers() {
    }

    /**
     * Quote an identifier: {@code my"db} becomes {@code "my""db"}.
     *
     * @param name any identifier
     * @return the quoted identifier
     */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * Quote a string literal: {@code it's} becomes {@code 'it''s'}.
     *
     * @param value any text without NUL characters
     * @return the quoted literal
     */
    public static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }
}
