package dev.stateful.migrate;

import dev.stateful.migrate.CatalogSnapshot.Rel;
import dev.stateful.migrate.ServerMessages.Action;
import dev.stateful.migrate.ServerMessages.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turn what {@link SafetyObserver} saw of one migration into its {@link MigrationStep}: the
 * tables it locked, rewrote, scanned or indexed (from the server's messages and the catalog
 * before and after), how long reads and writes were blocked, and the hazards that follow.
 */
final class StepSummary {
    private final Connection connection;
    private final Set<String> bookkeeping;
    private final Duration maxBlocking;

    /**
     * Summarise the steps of one observer.
     *
     * @param connection the observer's session, to find a constraint's table and count rows
     * @param bookkeeping the engine's own history tables, left out
     * @param maxBlocking the limit of {@link HazardKind#LONG_EXCLUSIVE_LOCK}
     */
    StepSummary(Connection connection, Set<String> bookkeeping, Duration maxBlocking) {
        this.connection = connection;
        this.bookkeeping = bookkeeping;
        this.maxBlocking = maxBlocking;
    }

    MigrationStep summarize(ObservedStep step, CatalogSnapshot after, long end) {
        long stepEnd = step.ended > 0 ? step.ended : end;
        Duration duration = Duration.ofNanos(stepEnd - step.started);
        Set<Long> locked = step.watches.keySet();
        Map<Long, String> rewrites = new LinkedHashMap<>();
        Map<Long, String> scans = new LinkedHashMap<>();
        Map<Long, Map<String, String>> indexes = new LinkedHashMap<>();
        Map<Long, List<String>> messages = new LinkedHashMap<>();
        List<ObservedStep.Seen> events;
        List<String> statements;
        synchronized (step) {
            events = List.copyOf(step.events);
            statements = List.copyOf(step.statements);
        }
        for (ObservedStep.Seen seen : events) {
            Event e = seen.event();
            String sql = seen.sql();
            Rel table = e.action() == Action.FOREIGN_KEY_SCAN ? constraintTable(e.table(), after, step)
                    : step.before.tableNamed(e.table(), locked);
            if (table == null) {
                continue; // a table the migration created, or a toast table
            }
            messages.computeIfAbsent(table.oid(), k -> new ArrayList<>()).add(seen.message());
            switch (e.action()) {
                case REWRITE -> rewrites.putIfAbsent(table.oid(), sql);
                case SCAN, FOREIGN_KEY_SCAN -> scans.putIfAbsent(table.oid(), sql);
                case INDEX_BUILD -> indexes.computeIfAbsent(table.oid(), k -> new LinkedHashMap<>())
                        .putIfAbsent(qualify(table.schema(), e.index()), sql);
                case SCAN_SKIPPED -> { }
                default -> { }
            }
        }
        boolean truncates = statements.stream().anyMatch(s -> s.toUpperCase(Locale.ROOT).contains("TRUNCATE"));
        for (Rel now : after.all().values()) {
            Rel was = step.before.get(now.oid());
            if (now.isTable() && was != null && was.filenode() != 0 && was.filenode() != now.filenode() && !truncates
                    && !isHistory(was)) {
                rewrites.putIfAbsent(now.oid(), String.join("; ", statements));
            }
            if (!now.isTable() && now.table() != 0) {
                Rel table = step.before.get(now.table());
                boolean built = was == null || was.filenode() != now.filenode();
                if (table != null && built && !isHistory(table)) {
                    indexes.computeIfAbsent(table.oid(), k -> new LinkedHashMap<>()).putIfAbsent(now.name(),
                            statementFor(statements, now.relname()));
                }
            }
        }
        Map<String, LockMode> lockModes = new LinkedHashMap<>();
        Map<String, Duration> held = new LinkedHashMap<>();
        Map<String, Duration> reads = new LinkedHashMap<>();
        Map<String, Duration> writes = new LinkedHashMap<>();
        Set<String> rewritten = new LinkedHashSet<>();
        Set<String> built = new LinkedHashSet<>();
        List<TableFacts> facts = new ArrayList<>();
        List<TimelineSpan> timeline = new ArrayList<>();
        Set<Long> tables = new LinkedHashSet<>(locked);
        tables.addAll(rewrites.keySet());
        tables.addAll(indexes.keySet());
        tables.addAll(scans.keySet());
        for (long oid : tables) {
            Rel rel = step.before.get(oid);
            ObservedStep.Watch w = step.watches.get(oid);
            String name = rel.name();
            LockMode mode = w == null ? null : w.mode;
            Duration h = w == null || w.firstGranted < 0 ? Duration.ZERO
                    : Duration.ofNanos(Math.min(end, w.grantedUntil) - w.firstGranted);
            Duration r = w == null ? Duration.ZERO : w.reads.longest(end);
            Duration wr = w == null ? Duration.ZERO : w.writes.longest(end);
            if (w != null) {
                timeline.addAll(spans(name, w, step.started, end));
            }
            if (mode != null) {
                lockModes.put(name, mode);
                held.put(name, h);
            }
            if (!r.isZero()) {
                reads.put(name, r);
            }
            if (!wr.isZero()) {
                writes.put(name, wr);
            }
            if (rewrites.containsKey(oid)) {
                rewritten.add(name);
            }
            Map<String, String> idx = rewrites.containsKey(oid) ? Map.of() : indexes.getOrDefault(oid, Map.of());
            idx.keySet().forEach(i -> built.add(i + " on " + name));
            boolean candidate = rewrites.containsKey(oid) || scans.containsKey(oid) || !idx.isEmpty()
                    || mode != null && mode.blocksWrites();
            long rows = rel.rows() >= 0 || !candidate ? Math.max(rel.rows(), 0) : count(rel);
            facts.add(new TableFacts(name, rows, mode, h, r, wr, rewrites.get(oid), scans.get(oid), idx,
                    messages.getOrDefault(oid, List.of())));
        }
        List<Hazard> hazards = HazardRules.find(step.migration, facts, maxBlocking);
        return new MigrationStep(step.migration, duration, step.transactional, step.failed, lockModes, held, reads,
                writes, rewritten, built, step.messages(), hazards, step.incomplete, timeline);
    }

    /** A table's spans, from the step's start, clipped to the end of the observation, by start. */
    static List<TimelineSpan> spans(String table, ObservedStep.Watch w, long started, long end) {
        List<TimelineSpan> spans = new ArrayList<>();
        w.spans.forEach((mode, list) -> list.forEach(s -> spans.add(span(table, TimelineSpan.Kind.LOCK_HELD, mode, s,
                started, end))));
        w.reads.spans(end).forEach(s -> spans.add(span(table, TimelineSpan.Kind.READS_BLOCKED, null, s, started, end)));
        w.writes.spans(end).forEach(s -> spans.add(span(table, TimelineSpan.Kind.WRITES_BLOCKED, null, s, started,
                end)));
        spans.sort(java.util.Comparator.comparing(TimelineSpan::start));
        return spans;
    }

    private static TimelineSpan span(String table, TimelineSpan.Kind kind, LockMode mode, long[] s, long started,
                                     long end) {
        long from = Math.max(0, s[0] - started);
        long to = Math.max(from, Math.min(end, s[1]) - started);
        return new TimelineSpan(table, kind, mode, Duration.ofNanos(from), Duration.ofNanos(to));
    }

    /** Quote as {@code format('%I.%I', ...)} does for ordinary names. */
    static String qualify(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }

    private static String ident(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String statementFor(List<String> statements, String relname) {
        for (String s : statements) {
            if (s.contains(relname)) {
                return s;
            }
        }
        return String.join("; ", statements);
    }

    private Rel constraintTable(String constraint, CatalogSnapshot after, ObservedStep step) {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT conrelid::bigint FROM pg_constraint WHERE conname = ? AND contype = 'f'")) {
            s.setString(1, constraint);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Rel rel = step.before.get(rs.getLong(1));
                    if (rel != null) {
                        return rel;
                    }
                }
            }
        } catch (SQLException e) {
            step.incomplete("cannot find the table of constraint " + constraint + ": " + e.getMessage());
        }
        // Rolled back: take a table the migration held SHARE ROW EXCLUSIVE on.
        for (ObservedStep.Watch w : step.watches.values()) {
            if (w.mode == LockMode.SHARE_ROW_EXCLUSIVE) {
                return w.rel;
            }
        }
        return null;
    }

    /** Count the rows of a table Postgres has no estimate for (never analysed), within the session's timeout. */
    private long count(Rel rel) {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + rel.name())) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    private boolean isHistory(Rel rel) {
        return bookkeeping.contains(rel.relname());
    }
}
