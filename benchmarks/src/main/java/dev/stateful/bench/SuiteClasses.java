package dev.stateful.bench;

import dev.stateful.StatefulPostgres;
import dev.stateful.fixtures.Fixtures;
import dev.stateful.junit.MigratedTo;
import dev.stateful.junit.RestoredFrom;
import dev.stateful.junit.WithVolume;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The realistic suite as a user writes it, for {@link SuiteBenchmarks}' {@code junit} variant:
 * twenty classes, each {@code @WithVolume @RestoredFrom @MigratedTo} with Stateful's default
 * settings, of ten short tests each (insert an order for a user, update the user, read a count),
 * run by the JUnit launcher. Every test starts from its class's baseline.
 */
public final class SuiteClasses {
    /** Where {@link SuiteBenchmarks} puts the realistic dump before the run (relative to the working directory). */
    public static final String DUMP = "target/bench-suite/realistic.dump";
    /** How many tests each class has. */
    public static final int TESTS = 10;
    /** Where a test records the orders its user had before it wrote (checked against the baseline). */
    static final java.util.Map<String, Long> ORDERS_BEFORE = new java.util.concurrent.ConcurrentHashMap<>();

    private SuiteClasses() {
    }

    /** The classes, in order. */
    static List<Class<?>> all() {
        return List.of(S01.class, S02.class, S03.class, S04.class, S05.class, S06.class, S07.class, S08.class, S09.class, S10.class, S11.class, S12.class, S13.class, S14.class, S15.class, S16.class, S17.class, S18.class, S19.class, S20.class);
    }

    /** What every class of the suite is: the annotations and the ten tests. */
    @WithVolume
    @RestoredFrom(DUMP)
    @MigratedTo(locations = Fixtures.MIGRATIONS)
    public abstract static class Base {
        /** Create a class of the suite. */
        protected Base() {
        }

        /**
         * The short test: every repetition writes to the same user, so each must find the
         * baseline's count of that user's orders, not the previous repetition's.
         *
         * @param db the class's database
         * @throws SQLException when a statement fails
         */
        @RepeatedTest(TESTS)
        void shortTest(StatefulPostgres db) throws SQLException {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                long user;
                try (ResultSet rs = s.executeQuery("SELECT id FROM users ORDER BY id OFFSET "
                        + ThreadLocalRandom.current().nextInt(100) + " LIMIT 1")) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the realistic dataset has no users");
                    }
                    user = rs.getLong(1);
                }
                long before = count(s, user);
                Long first = ORDERS_BEFORE.putIfAbsent("user " + user, before);
                if (first != null && first != before) {
                    throw new IllegalStateException("the test does not start from the baseline: user " + user
                            + " had " + first + " orders in the baseline, now " + before);
                }
                s.executeUpdate("INSERT INTO orders (user_id, status, placed_at, total_cents) VALUES (" + user
                        + ", 'pending', now(), " + (100 + ThreadLocalRandom.current().nextInt(10_000)) + ")");
                s.executeUpdate("UPDATE users SET profile = profile || '{\"bench\": true}'::jsonb WHERE id = " + user);
                if (count(s, user) != before + 1) {
                    throw new IllegalStateException("the inserted order is not counted");
                }
            }
        }

        private static long count(Statement s, long user) throws SQLException {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM orders WHERE user_id = " + user)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Class 1 of the suite. */
    public static final class S01 extends Base {
    }

    /** Class 2 of the suite. */
    public static final class S02 extends Base {
    }

    /** Class 3 of the suite. */
    public static final class S03 extends Base {
    }

    /** Class 4 of the suite. */
    public static final class S04 extends Base {
    }

    /** Class 5 of the suite. */
    public static final class S05 extends Base {
    }

    /** Class 6 of the suite. */
    public static final class S06 extends Base {
    }

    /** Class 7 of the suite. */
    public static final class S07 extends Base {
    }

    /** Class 8 of the suite. */
    public static final class S08 extends Base {
    }

    /** Class 9 of the suite. */
    public static final class S09 extends Base {
    }

    /** Class 10 of the suite. */
    public static final class S10 extends Base {
    }

    /** Class 11 of the suite. */
    public static final class S11 extends Base {
    }

    /** Class 12 of the suite. */
    public static final class S12 extends Base {
    }

    /** Class 13 of the suite. */
    public static final class S13 extends Base {
    }

    /** Class 14 of the suite. */
    public static final class S14 extends Base {
    }

    /** Class 15 of the suite. */
    public static final class S15 extends Base {
    }

    /** Class 16 of the suite. */
    public static final class S16 extends Base {
    }

    /** Class 17 of the suite. */
    public static final class S17 extends Base {
    }

    /** Class 18 of the suite. */
    public static final class S18 extends Base {
    }

    /** Class 19 of the suite. */
    public static final class S19 extends Base {
    }

    /** Class 20 of the suite. */
    public static final class S20 extends Base {
    }
}
