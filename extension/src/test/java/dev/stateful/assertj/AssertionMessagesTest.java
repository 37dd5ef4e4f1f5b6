package dev.stateful.assertj;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.DatabaseFingerprint;
import dev.stateful.DatabaseFingerprint.TableFingerprint;
import dev.stateful.assertj.Catalog.HistoryRow;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failure messages and Flyway version logic, with hand-built values: no database. */
class AssertionMessagesTest {
    private static final String SUBJECT = "database 'test' on volume 'v1'";
    private static final String H1 = "11111111aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String H2 = "22222222bbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String EMPTY = "d41d8cd98f00b204e9800998ecf8427e";

    @Test
    void changedMessageListsEveryChangedTableThenBothFingerprints() {
        DatabaseFingerprint before = DatabaseFingerprint.of(Map.of(
                "public.orders", new TableFingerprint(3, H1),
                "public.same", new TableFingerprint(1, H1)));
        DatabaseFingerprint after = DatabaseFingerprint.of(Map.of(
                "public.orders", new TableFingerprint(2, H2),
                "public.same", new TableFingerprint(1, H1),
                "public.audit", new TableFingerprint(1, H2)));

        assertThat(Messages.changed(SUBJECT, before, after)).isEqualTo(
                "Expected database 'test' on volume 'v1' to survive the action with every user table unchanged, "
                        + "but 2 tables changed:\n"
                        + "  public.audit: table added (1 row)\n"
                        + "  public.orders: rows 3 -> 2\n"
                        + "expected (before the action): DatabaseFingerprint (2 tables)\n"
                        + "  public.orders: 3 rows, hash 11111111\n"
                        + "  public.same: 1 row, hash 11111111\n"
                        + "actual (after the action): DatabaseFingerprint (3 tables)\n"
                        + "  public.audit: 1 row, hash 22222222\n"
                        + "  public.orders: 2 rows, hash 22222222\n"
                        + "  public.same: 1 row, hash 11111111");
    }

    @Test
    void survivorsAreTablesThatHadRowsAndStillHaveRows() {
        DatabaseFingerprint before = DatabaseFingerprint.of(Map.of(
                "public.kept", new TableFingerprint(3, H1),
                "public.edited", new TableFingerprint(2, H1),
                "public.emptied", new TableFingerprint(2, H1),
                "public.dropped", new TableFingerprint(5, H1),
                "public.was_empty", new TableFingerprint(0, EMPTY)));
        DatabaseFingerprint after = DatabaseFingerprint.of(Map.of(
                "public.kept", new TableFingerprint(3, H1),
                "public.edited", new TableFingerprint(1, H2),
                "public.emptied", new TableFingerprint(0, EMPTY),
                "public.was_empty", new TableFingerprint(4, H2),
                "public.new", new TableFingerprint(1, H2)));

        assertThat(Messages.survivors(before, after)).containsExactly(
                "public.edited: 2 rows before, 1 row after, content changed",
                "public.kept: 3 rows before, 3 rows after, content unchanged");
        assertThat(Messages.notLost(SUBJECT, before, after)).startsWith(
                "Expected the action to lose the data of database 'test' on volume 'v1', but 2 of 4 tables that "
                        + "had rows still have rows:\n"
                        + "  public.edited: 2 rows before, 1 row after, content changed\n"
                        + "  public.kept: 3 rows before, 3 rows after, content unchanged\n"
                        + "expected (after the action): every table that had rows empty or gone\n"
                        + "actual (after the action): DatabaseFingerprint (5 tables)");
    }

    @Test
    void nothingToLoseExplainsWhyTheAssertionCannotPass() {
        DatabaseFingerprint before = DatabaseFingerprint.of(Map.of("public.t", new TableFingerprint(0, EMPTY)));

        assertThat(Messages.nothingToLose(SUBJECT, before))
                .contains("but there was nothing to lose: no user table had rows before the action")
                .contains("public.t: 0 rows")
                .contains("Fix: insert data before the action");
    }

    @Test
    void historyShowsVersionsRepeatablesAndFailures() {
        List<HistoryRow> rows = List.of(
                new HistoryRow(1, "1", "create orders", "SQL", true),
                new HistoryRow(2, null, "views", "SQL", true),
                new HistoryRow(3, "2", "broken", "SQL", false));

        assertThat(Messages.history(rows)).isEqualTo("\n"
                + "  rank 1: version 1 \"create orders\" (SQL, success)\n"
                + "  rank 2: repeatable \"views\" (SQL, success)\n"
                + "  rank 3: version 2 \"broken\" (SQL, FAILED)");
    }

    @Test
    void historyShowsOnlyTheLatestEntries() {
        List<HistoryRow> rows = new ArrayList<>();
        for (int i = 1; i <= Messages.HISTORY + 2; i++) {
            rows.add(new HistoryRow(i, Integer.toString(i), "m" + i, "SQL", true));
        }

        String history = Messages.history(rows);

        assertThat(history).startsWith("\n  ... 2 earlier entries\n  rank 3: version 3 \"m3\"")
                .endsWith("rank 52: version 52 \"m52\" (SQL, success)")
                .doesNotContain("rank 2:");
    }

    @Test
    void samplesSayHowManyWereLeftOut() {
        List<String> twelve = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            twelve.add("(" + i + ")");
        }

        assertThat(Messages.sample(twelve.subList(0, 10), 40)).endsWith("  (10)\n  ... 30 more");
        assertThat(Messages.sample(List.of("(1)", "(2)"), 2)).isEqualTo("\n  (1)\n  (2)");
        assertThat(Messages.sampleOf(twelve)).endsWith("  (10)\n  ...").doesNotContain("(11)");
        assertThat(Messages.orNone(List.of())).isEqualTo(" (none)");
    }

    @Test
    void sqlFailureMessageCarriesServerMessageAndState() {
        SQLException e = new SQLException("ERROR: relation \"x\" does not exist", "42P01");

        assertThat(Messages.sqlFailed("table x", SUBJECT, e)).isEqualTo("Could not check table x of database 'test' "
                + "on volume 'v1': the query failed: ERROR: relation \"x\" does not exist (SQLSTATE 42P01)");
    }

    @Test
    void flywayVersionsCompareNumericallyAndIgnoreTrailingZeros() {
        assertThat(FlywayVersions.same("2", "2.0")).isTrue();
        assertThat(FlywayVersions.same("2_0_0", "2")).isTrue();
        assertThat(FlywayVersions.same("2.1", "2.10")).isFalse();
        assertThat(FlywayVersions.same("2", "3")).isFalse();
        assertThat(FlywayVersions.same("v2", "v2")).isFalse();
        assertThat(FlywayVersions.parse("1.x")).isEmpty();
        assertThat(FlywayVersions.ORDER.compare("1.10", "1.9")).isPositive();
        assertThat(FlywayVersions.ORDER.compare("10", "9")).isPositive();
    }

    @Test
    void currentVersionIsTheHighestSuccessfulNotUndoneVersion() {
        List<HistoryRow> history = List.of(
                new HistoryRow(0, "0", "<< Flyway Schema Creation >>", "SCHEMA", true),
                new HistoryRow(1, "9", "nine", "SQL", true),
                new HistoryRow(2, null, "repeatable", "SQL", true),
                new HistoryRow(3, "10", "ten", "SQL", true),
                new HistoryRow(4, "12", "twelve, failed", "SQL", false),
                new HistoryRow(5, "9.5", "applied out of order", "SQL", true),
                new HistoryRow(6, "11", "eleven", "SQL", true),
                new HistoryRow(7, "11", "undo eleven", "UNDO_SQL", true));

        assertThat(FlywayVersions.current(history)).contains("10");
        assertThat(FlywayVersions.current(history.subList(0, 3))).contains("9");
        assertThat(FlywayVersions.current(history.subList(0, 1))).isEmpty();
        assertThat(FlywayVersions.current(List.of(new HistoryRow(1, "3", "baseline", "BASELINE", true))))
                .contains("3");
        assertThat(FlywayVersions.current(List.of(new HistoryRow(1, "3", "x", "SQL", true),
                new HistoryRow(2, "3", "x", "DELETE", true)))).isEmpty();
    }
}
