package dev.stateful.internal.snapshot;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a test wrote, read from a temporary logical replication slot of the reset's own
 * session (built-in {@code test_decoding} plugin) instead of a scan of each table written.
 *
 * <p>The slot is temporary: never written to disk as a persistent slot (Postgres removes a
 * temporary slot's files at startup), so it never lives on in a volume snapshot, a backup or a
 * cache entry, and it ends with the session. It is created before the mark is read, so every
 * change committed after the mark is decoded; after each reset it is advanced past the reset's
 * own writes. Decoding reads only WAL that is flushed: {@link #read} flushes it first. {@link #drop} drops it before the session closes: {@code DROP DATABASE} refuses a
 * database with an active slot.
 *
 * <p>What decoding cannot prove is reported as unknown and the reset falls back to its scan:
 * a {@code TRUNCATE}, a {@code DELETE} or key change without the old key (replica identity
 * {@code NOTHING} or another index), a key column left out as an unchanged TOAST value, or a
 * line this parser does not understand (then nothing decoded is used).
 */
final class LogicalChanges {
    private static final Logger LOG = LoggerFactory.getLogger(LogicalChanges.class);
    /** How long creating the slot may wait for transactions running on the server to end. */
    private static final int CREATE_TIMEOUT_MS = 2_000;

    private String slot;

    /**
     * What decoding said of each table, by the name {@code test_decoding} prints
     * ({@code quote_ident(schema).quote_ident(table)}).
     *
     * @param keys the key values (as text, in key column order) written per table
     * @param unknown tables whose written keys decoding cannot tell
     */
    record Changes(Map<String, Set<List<String>>> keys, Set<String> unknown) {
    }

    /** Whether a slot is held (created on this session and not dropped since). */
    boolean active() {
        return slot != null;
    }

    /**
     * Create the slot on the reset's session when there is none; nothing when the server's
     * {@code wal_level} is not {@code logical}, or creating it fails or waits too long for
     * transactions running elsewhere on the server (the reset scans then).
     */
    void start(Connection c) {
        if (slot != null) {
            return;
        }
        try (Statement s = c.createStatement()) {
            String name;
            try (ResultSet rs = s.executeQuery("SELECT current_setting('wal_level'), 'stateful_reset_' || pg_backend_pid()")) {
                rs.next();
                if (!"logical".equals(rs.getString(1))) {
                    LOG.debug("wal_level is {}, not logical: the reset scans the tables written", rs.getString(1));
                    return;
                }
                name = rs.getString(2);
            }
            s.execute("SET statement_timeout = " + CREATE_TIMEOUT_MS);
            try {
                s.executeQuery("SELECT pg_catalog.pg_create_logical_replication_slot('" + name
                        + "', 'test_decoding', true)").close();
            } finally {
                s.execute("RESET statement_timeout");
            }
            // Commits of this session flush the WAL (see read); the server may run with it off.
            s.execute("SET synchronous_commit = local");
            slot = name;
        } catch (SQLException e) {
            LOG.debug("no logical slot for the reset ({}): it scans the tables written", e.getMessage());
        }
    }

    /**
     * Read and consume every change committed since the slot was created or last advanced.
     *
     * @return the changes, or empty when there is no slot or a line could not be understood
     */
    Optional<Changes> read(Connection c) throws SQLException {
        if (slot == null) {
            return Optional.empty();
        }
        Map<String, Set<List<String>>> keys = new HashMap<>();
        Set<String> unknown = new HashSet<>();
        try (Statement s = c.createStatement()) {
            // Decoding stops at the flushed WAL, and tests commit without waiting for the flush
            // (synchronous_commit is off on Stateful's servers): a transaction that wrote WAL,
            // committed with synchronous_commit = local, flushes everything written before it.
            // (A transaction id alone writes no WAL, and its commit is not flushed.)
            s.executeQuery("SELECT pg_catalog.pg_logical_emit_message(true, 'stateful-reset', '')").close();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT data FROM pg_catalog.pg_logical_slot_get_changes('" + slot
                        + "', NULL, NULL, 'skip-empty-xacts', '1', 'include-xids', '0', 'include-timestamp', '0')")) {
            boolean understood = true;
            while (rs.next()) {
                String line = rs.getString(1);
                if (!parse(line, keys, unknown)) {
                    if (understood) {
                        LOG.debug("a change decoding gave is not understood, the reset scans: {}", line);
                    }
                    understood = false;
                }
            }
            if (!understood) {
                return Optional.empty();
            }
        }
        LOG.debug("decoded keys of {} table(s), {} table(s) unknown: {}", keys.size(), unknown.size(), unknown);
        return Optional.of(new Changes(keys, unknown));
    }

    /** Move the slot past everything written so far (the reset's own writes). */
    void skipToNow(Connection c) throws SQLException {
        if (slot == null) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT pg_catalog.pg_replication_slot_advance('" + slot + "', pg_catalog.pg_current_wal_lsn())")
                    .close();
        }
    }

    /** Drop the slot if the session still holds it; the caller closes the session next. */
    void drop(Connection c) {
        String name = slot;
        slot = null;
        if (name == null || c == null) {
            return;
        }
        try (Statement s = c.createStatement()) {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            s.executeQuery("SELECT pg_catalog.pg_drop_replication_slot('" + name + "')").close();
        } catch (SQLException e) {
            LOG.debug("dropping slot {} failed (it goes with its session): {}", name, e.getMessage());
        }
    }

    /** The session ended: its temporary slot went with it. */
    void forget() {
        slot = null;
    }

    // ------------------------------------------------------------------ parsing test_decoding output

    /**
     * Parse one line of {@code test_decoding} output into the keys it wrote.
     *
     * @param keyColumns per table, its key columns as {@code quote_ident} prints them
     * @return {@code false} when the line is not understood
     */
    static boolean parse(String line, Map<String, Set<List<String>>> keys, Set<String> unknown,
                         Map<String, List<String>> keyColumns) {
        if (line.equals("BEGIN") || line.equals("COMMIT") || line.startsWith("BEGIN ") || line.startsWith("COMMIT ")
                || line.startsWith("message: ")) {
            return true;
        }
        if (!line.startsWith("table ")) {
            return false;
        }
        Cursor at = new Cursor(line, 6);
        if (!at.identifier() || !at.skip(".") || !at.identifier()) {
            return false;
        }
        String table = line.substring(6, at.pos);
        if (!at.skip(": ")) {
            return false;
        }
        int colon = line.indexOf(": ", at.pos);
        if (colon < 0) {
            return false;
        }
        String action = line.substring(at.pos, colon);
        at.pos = colon + 2;
        List<String> key = keyColumns.get(table);
        if (action.equals("TRUNCATE")) {
            unknown.add(table);
            return true;
        }
        if (!action.equals("INSERT") && !action.equals("UPDATE") && !action.equals("DELETE")) {
            return false;
        }
        if (line.startsWith("(no-tuple-data)", at.pos)) {
            unknown.add(table);
            return true;
        }
        // Tuples: "old-key:" and "new-tuple:" start the old key and the new row of an UPDATE.
        List<Map<String, String>> tuples = new ArrayList<>();
        Map<String, String> tuple = new HashMap<>();
        tuples.add(tuple);
        while (at.pos < line.length()) {
            if (line.startsWith("old-key: ", at.pos)) {
                at.pos += 9;
                continue;
            }
            if (line.startsWith("new-tuple: ", at.pos)) {
                at.pos += 11;
                tuple = new HashMap<>();
                tuples.add(tuple);
                continue;
            }
            int nameStart = at.pos;
            if (!at.identifier()) {
                return false;
            }
            String column = line.substring(nameStart, at.pos);
            if (!at.type() || !at.skip(":")) {
                return false;
            }
            String value = at.value();
            if (value == null) {
                return false;
            }
            tuple.put(column, value);
            if (at.pos < line.length() && !at.skip(" ")) {
                return false;
            }
        }
        if (key == null || key.isEmpty()) {
            unknown.add(table);
            return true;
        }
        for (Map<String, String> t : tuples) {
            if (t.isEmpty()) {
                continue;
            }
            List<String> values = new ArrayList<>();
            for (String column : key) {
                String v = t.get(column);
                if (v == null || v.equals(Cursor.UNKNOWN)) {
                    unknown.add(table);
                    return true;
                }
                values.add(v);
            }
            keys.computeIfAbsent(table, k -> new LinkedHashSet<>()).add(values);
        }
        return true;
    }

    private Map<String, List<String>> keyColumns = Map.of();

    /** The key columns of each table by its decoded name: set from the baseline before reading. */
    void keyColumns(Map<String, List<String>> keyColumns) {
        this.keyColumns = keyColumns;
    }

    private boolean parse(String line, Map<String, Set<List<String>>> keys, Set<String> unknown) {
        return parse(line, keys, unknown, keyColumns);
    }

    /** A position in one line of output. */
    private static final class Cursor {
        /** A value decoding does not give (null or an unchanged TOAST value). */
        static final String UNKNOWN = "\u0000unknown";
        private final String line;
        private int pos;

        Cursor(String line, int pos) {
            this.line = line;
            this.pos = pos;
        }

        boolean skip(String text) {
            if (line.startsWith(text, pos)) {
                pos += text.length();
                return true;
            }
            return false;
        }

        /** An identifier as {@code quote_identifier} prints it: quoted with doubled quotes, or plain. */
        boolean identifier() {
            int start = pos;
            if (pos < line.length() && line.charAt(pos) == '"') {
                pos++;
                while (pos < line.length()) {
                    if (line.charAt(pos) == '"') {
                        if (pos + 1 < line.length() && line.charAt(pos + 1) == '"') {
                            pos += 2;
                            continue;
                        }
                        pos++;
                        return true;
                    }
                    pos++;
                }
                return false;
            }
            while (pos < line.length()) {
                char ch = line.charAt(pos);
                if (!(ch == '_' || ch == '$' || Character.isLetterOrDigit(ch))) {
                    break;
                }
                pos++;
            }
            return pos > start;
        }

        /** {@code [type]}: brackets nest (array types), quoted names may hold anything. */
        boolean type() {
            if (!skip("[")) {
                return false;
            }
            int depth = 1;
            boolean quoted = false;
            while (pos < line.length()) {
                char ch = line.charAt(pos++);
                if (ch == '"') {
                    quoted = !quoted;
                } else if (!quoted && ch == '[') {
                    depth++;
                } else if (!quoted && ch == ']' && --depth == 0) {
                    return true;
                }
            }
            return false;
        }

        /**
         * A value: a string literal ({@code test_decoding} doubles quotes only), a bit string
         * {@code B'...'}, or a bare word (numbers, booleans); null when malformed.
         */
        String value() {
            if (skip("'")) {
                return literal();
            }
            if (skip("B'")) {
                return literal();
            }
            int start = pos;
            while (pos < line.length() && line.charAt(pos) != ' ') {
                pos++;
            }
            String word = line.substring(start, pos);
            if (word.isEmpty()) {
                return null;
            }
            return word.equals("null") || word.equals("unchanged-toast-datum") ? UNKNOWN : word;
        }

        private String literal() {
            StringBuilder value = new StringBuilder();
            while (pos < line.length()) {
                char ch = line.charAt(pos++);
                if (ch == '\'') {
                    if (pos < line.length() && line.charAt(pos) == '\'') {
                        value.append('\'');
                        pos++;
                        continue;
                    }
                    return value.toString();
                }
                value.append(ch);
            }
            return null;
        }
    }
}
