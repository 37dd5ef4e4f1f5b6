package dev.stateful.snapshot;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.StatefulPostgres;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.internal.snapshot.SnapshotStore;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property-style check of the reset: random mixes of inserts, updates, deletes, truncates,
 * sequence calls, aborted transactions and savepoints, primary keys changed by an update,
 * vacuums and analyzes, temporary tables and DDL, with the keys written read from the reset's
 * logical slot (or scanned when decoding cannot tell), each followed by a restore of
 * the baseline; after every restore the fingerprint (rows of every table) and the state of
 * every sequence equal the baseline's exactly, whichever way the restore went (table by table or
 * a full clone). The seed is printed and can be fixed with {@code -Dstateful.reset-seed=N}.
 */
@StartedHandles
class TableResetPropertyTest {
    private static final int ROUNDS = 60;
    @Started
    private static StatefulPostgres db;

    @BeforeAll
    static void start() throws SQLException {
        Sql.run(db, """
                CREATE TABLE parent (id serial PRIMARY KEY, name text NOT NULL, note text);
                CREATE TABLE child (id bigserial PRIMARY KEY, parent_id int NOT NULL REFERENCES parent ON DELETE CASCADE,
                                    v int, tags text[], doc jsonb);
                CREATE TABLE audit (n bigserial, what text, at timestamptz DEFAULT now());
                CREATE FUNCTION audit_child() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN INSERT INTO audit (what) VALUES (TG_OP || ' ' || NEW.id); RETURN NEW; END $$;
                CREATE TRIGGER child_audit AFTER INSERT OR UPDATE ON child FOR EACH ROW EXECUTE FUNCTION audit_child();
                CREATE TABLE loose (x int, y text);
                CREATE TABLE gen (a int, b int GENERATED ALWAYS AS (a * 2) STORED);
                CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);
                CREATE TABLE events (id int, day date NOT NULL) PARTITION BY RANGE (day);
                CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE SCHEMA other;
                CREATE TABLE other.big (id int PRIMARY KEY, pad text);
                CREATE TABLE tagged (kind text, code text, v int, PRIMARY KEY (kind, code));
                INSERT INTO tagged SELECT k, 'c' || g, g
                  FROM unnest(ARRAY['a', 'b''c', 'd"e', 'f\\g', '{h,i}', 'j k']) k, generate_series(1, 40) g;
                CREATE SEQUENCE counter_seq;
                CREATE SEQUENCE other.unused_seq;
                INSERT INTO parent (name) SELECT 'p' || g FROM generate_series(1, 50) g;
                INSERT INTO child (parent_id, v, tags, doc)
                  SELECT 1 + g % 50, g, ARRAY['a', 'b''c'], jsonb_build_object('g', g) FROM generate_series(1, 200) g;
                INSERT INTO loose SELECT g, NULL FROM generate_series(1, 20) g;
                INSERT INTO loose SELECT 1, 'dup' FROM generate_series(1, 3);
                INSERT INTO gen (a) SELECT g FROM generate_series(1, 10) g;
                INSERT INTO ident (v) SELECT 'i' || g FROM generate_series(1, 10) g;
                INSERT INTO events SELECT g, DATE '2024-06-01' + g FROM generate_series(1, 300) g;
                INSERT INTO other.big SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g;
                SELECT nextval('counter_seq'), nextval('counter_seq');
                """);
    }

    @Test
    void everyResetEqualsTheBaselineExactly() throws SQLException {
        long seed = Long.getLong("stateful.reset-seed", System.nanoTime());
        System.out.println("TableResetPropertyTest seed " + seed);
        Random random = new Random(seed);
        db.snapshot("base");
        State baseline = State.read();
        Map<Path, Integer> paths = new EnumMap<>(Path.class);
        for (int round = 0; round < ROUNDS; round++) {
            List<String> done = new ArrayList<>();
            Connection open = db.connection();
            try {
                int ops = 1 + random.nextInt(5);
                for (int i = 0; i < ops; i++) {
                    done.add(randomChange(open, random, done.size()));
                }
            } finally {
                // Half the rounds leave the session open: the reset must end it and see its writes;
                // some of those leave a transaction open with uncommitted writes, which ending it rolls back.
                if (random.nextBoolean()) {
                    open.close();
                } else if (random.nextInt(4) == 0) {
                    leaveATransactionOpen(open, round);
                    done.add("(left a transaction open)");
                }
            }
            if (random.nextInt(8) == 0) {
                // Someone ended the reset's own session (it stays open between resets): opened again.
                Sql.run(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'stateful-reset'");
                done.add("(ended the reset's session)");
            }
            db.restore("base");
            open.close();
            State after = State.read();
            String path = String.valueOf(((SnapshotStore) db.snapshots()).lastPath());
            paths.merge(Path.valueOf(path), 1, Integer::sum);
            assertThat(after.fingerprint().diff(baseline.fingerprint()))
                    .as("seed %d round %d (%s restore) after %s", seed, round, path, done).isEmpty();
            assertThat(after.sequences())
                    .as("sequences, seed %d round %d (%s restore) after %s", seed, round, path, done)
                    .isEqualTo(baseline.sequences());
        }
        long rowByRow = ((SnapshotStore) db.snapshots()).rowByRowTables();
        System.out.println("TableResetPropertyTest restores by path: " + paths + "; tables put back row by row: " + rowByRow);
        assertThat(rowByRow).as("tables put back row by row").isGreaterThan(ROUNDS / 6);
        assertThat(((SnapshotStore) db.snapshots()).decoding()).as("the reset still follows the database").isTrue();
        assertThat(paths.getOrDefault(Path.TABLES, 0)).as("table-level resets").isGreaterThan(ROUNDS / 3);
        assertThat(paths.getOrDefault(Path.POOLED_CLONE, 0) + paths.getOrDefault(Path.COPY, 0))
                .as("full clones (after DDL)").isPositive();
    }

    @Test
    void aResetWithNothingChangedLeavesTheDatabaseAsIs() throws SQLException {
        db.snapshot("quiet");
        State baseline = State.read();
        db.restore("quiet");
        assertThat(String.valueOf(((SnapshotStore) db.snapshots()).lastPath())).isEqualTo("TABLES");
        assertThat(State.read()).isEqualTo(baseline);
        db.snapshots().drop("quiet");
    }

    private enum Path { NONE, TABLES, POOLED_CLONE, COPY }

    private static void leaveATransactionOpen(Connection c, int round) throws SQLException {
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO other.big VALUES (" + (60001 + round) + ", 'uncommitted')");
            s.execute("UPDATE parent SET note = 'uncommitted' WHERE id = 1");
        } catch (SQLException e) {
            c.rollback(); // an earlier change of the round dropped what this uses: nothing left open
        }
    }

    /** One random change on the given session; returns what it did, for the failure message. */
    private static String randomChange(Connection c, Random r, int n) throws SQLException {
        int id = 1 + r.nextInt(60);
        int big = 1 + r.nextInt(20000);
        String kind = List.of("a", "b''c", "d\"e", "f\\g", "{h,i}", "j k").get(r.nextInt(6));
        String sql = switch (r.nextInt(38)) {
            case 0, 1 -> "INSERT INTO parent (name) VALUES ('new" + n + "')";
            case 2 -> "UPDATE parent SET note = 'changed' WHERE id = " + id;
            case 3 -> "DELETE FROM parent WHERE id = " + id;
            case 4, 5 -> "INSERT INTO child (parent_id, v) VALUES (" + (1 + r.nextInt(50)) + ", " + n + ")";
            case 6 -> "UPDATE child SET v = v + 1, doc = '{\"x\": 1}' WHERE id % 7 = " + r.nextInt(7);
            case 7 -> "TRUNCATE child";
            case 8 -> "DELETE FROM loose WHERE x = 1";
            case 9 -> "TRUNCATE loose, gen";
            case 10 -> "SELECT nextval('counter_seq')";
            case 11 -> "SELECT setval('counter_seq', " + (100 + r.nextInt(100)) + ", " + r.nextBoolean() + ")";
            case 12 -> "INSERT INTO gen (a) VALUES (" + id + ")";
            case 13 -> "INSERT INTO ident (v) VALUES ('x')";
            case 14 -> "INSERT INTO events VALUES (" + id + ", DATE '2025-03-01')";
            case 15 -> "DELETE FROM events WHERE id < " + id;
            case 16 -> "UPDATE other.big SET pad = 'y' WHERE id = " + (1 + r.nextInt(20000));
            case 17 -> "BEGIN; DELETE FROM parent; INSERT INTO loose VALUES (9, 'rolled back'); ROLLBACK";
            case 18 -> "CREATE TEMP TABLE scratch_" + n + " AS SELECT * FROM parent";
            case 19 -> "SELECT nextval('other.unused_seq'); SELECT nextval('ident_id_seq')";
            case 20 -> r.nextBoolean() ? "CREATE TABLE extra_" + n + " (x int)" : "CREATE INDEX ON loose (y)";
            case 21 -> r.nextBoolean() ? "ALTER TABLE parent ADD COLUMN extra_" + n + " int DEFAULT 7"
                    : "ALTER SEQUENCE counter_seq INCREMENT BY 5";
            case 22 -> r.nextBoolean() ? "DROP TABLE loose" : "CREATE OR REPLACE FUNCTION audit_child() RETURNS trigger "
                    + "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$";
            // Row by row: many updates, inserts, a key changed (not exact: must fall back), savepoints, aborts, maintenance.
            case 24 -> "UPDATE other.big SET pad = 'z" + n + "' WHERE id % 97 = " + r.nextInt(97);
            case 25 -> "INSERT INTO other.big VALUES (" + (20001 + r.nextInt(1000)) + ", 'new')";
            case 26 -> "UPDATE other.big SET id = id + 100000 WHERE id = " + big;
            case 27 -> "BEGIN; INSERT INTO other.big VALUES (" + (30001 + r.nextInt(1000)) + ", 'kept'); SAVEPOINT s; "
                    + "INSERT INTO other.big VALUES (" + (40001 + r.nextInt(1000)) + ", 'gone'); "
                    + "UPDATE other.big SET pad = 'gone' WHERE id = " + big + "; ROLLBACK TO s; COMMIT";
            case 28 -> "BEGIN; INSERT INTO other.big VALUES (" + (50001 + r.nextInt(1000)) + ", 'aborted'); "
                    + "UPDATE other.big SET pad = 'aborted' WHERE id = " + big + "; ROLLBACK";
            case 29 -> r.nextBoolean() ? "VACUUM other.big" : "ANALYZE other.big";
            case 30 -> "UPDATE child SET id = id + 100000 WHERE id = " + (1 + r.nextInt(200));
            case 31 -> "UPDATE parent SET id = id + 1000 WHERE id = (SELECT max(id) FROM parent)";
            case 32 -> "UPDATE tagged SET v = v + 1 WHERE kind = '" + kind + "' AND code = 'c" + (1 + r.nextInt(40)) + "'";
            case 33 -> "INSERT INTO tagged VALUES ('" + kind + "', 'new" + n + "', 0)";
            // Decoded keys: deletes of keyed rows, a composite key changed, a delete then the same key inserted again.
            case 34 -> r.nextBoolean() ? "DELETE FROM other.big WHERE id % 211 = " + r.nextInt(211)
                    : "DELETE FROM tagged WHERE kind = '" + kind + "' AND code = 'c" + (1 + r.nextInt(40)) + "'";
            case 35 -> "UPDATE tagged SET code = code || '!' WHERE kind = '" + kind + "' AND code = 'c" + (1 + r.nextInt(40)) + "'";
            case 36 -> "BEGIN; DELETE FROM other.big WHERE id = " + big + "; INSERT INTO other.big VALUES (" + big
                    + ", 'again'); COMMIT";
            default -> "UPDATE parent SET name = name || '!' WHERE id = " + id + "; DELETE FROM child WHERE parent_id = " + id;
        };
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            return sql;
        } catch (SQLException e) {
            // An earlier change of the round may have dropped what this one uses: still a change mix.
            return sql + " (failed: " + e.getSQLState() + ")";
        }
    }

    /** The oracle: the fingerprint of every table and the state of every sequence. */
    private record State(DatabaseFingerprint fingerprint, Map<String, String> sequences) {
        static State read() throws SQLException {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                DatabaseFingerprint fingerprint = DatabaseFingerprint.of(c);
                List<String> names = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
                        + "FROM pg_sequences ORDER BY 1")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                Map<String, String> sequences = new TreeMap<>();
                for (String name : names) {
                    try (ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM " + name)) {
                        rs.next();
                        sequences.put(name, rs.getLong(1) + (rs.getBoolean(2) ? " called" : " not called"));
                    }
                }
                return new State(fingerprint, sequences);
            }
        }
    }
}
