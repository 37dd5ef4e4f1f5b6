package dev.stateful.internal.snapshot;

import dev.stateful.internal.snapshot.ChangeDetection.Plan;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * Copy rows back from a reference database as a {@link Plan} says, in one transaction with
 * {@code session_replication_role = replica} (neither foreign keys nor user triggers fire):
 * tables emptied and refilled whole with binary {@code COPY}, tables put back row by row, and
 * sequences set back.
 */
final class CopyBack {
    /** Changed tables up to this size are emptied with DELETE (no new files, no catalog write), bigger ones truncated. */
    private static final long DELETE_BELOW_BYTES = 1 << 20;

    private CopyBack() {
    }

    /** A row-by-row reset that the statistics do not prove exact: the transaction is rolled back. */
    static final class NotExact extends SQLException {
        private static final long serialVersionUID = 1L;

        NotExact(String message) {
            super(message);
        }
    }

    /**
     * Put back what the plan names, in one transaction.
     *
     * @param c the database to put back
     * @param ref the reference database, a clone of the snapshot
     * @param plan what to put back
     * @param boundary the first transaction id that can have written a row since the mark
     * @param decoding whether a logical slot follows the database: the commit is then flushed at
     *     once, so that the slot can be advanced past it (an advance stops at the flushed WAL)
     * @throws NotExact when a row-by-row reset is not exact (nothing was changed then)
     */
    static void copyBack(Connection c, Connection ref, Plan plan, long boundary, boolean decoding) throws SQLException {
        List<CopyableTable> changed = plan.whole();
        Map<CopyableTable, Long> rowByRow = plan.rowByRow();
        List<SequenceState> moved = plan.moved();
        Set<Long> changedOids = new TreeSet<>();
        changed.forEach(t -> changedOids.add(t.oid()));
        Set<Long> referencedFromOutside = referencedFromOutside(c, changedOids);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // Neither foreign keys nor user triggers fire; the reset need not wait for the WAL flush.
            s.execute("SET LOCAL session_replication_role = replica; SET LOCAL synchronous_commit = "
                    + (decoding ? "local" : "off"));
            List<String> truncate = new ArrayList<>();
            for (CopyableTable t : changed) {
                if (referencedFromOutside.contains(t.oid()) || t.bytes() < DELETE_BELOW_BYTES) {
                    s.execute("DELETE FROM ONLY " + t.qualified());
                } else {
                    truncate.add("ONLY " + t.qualified());
                }
            }
            if (!truncate.isEmpty()) {
                s.execute("TRUNCATE " + String.join(", ", truncate));
            }
            CopyManager into = c.unwrap(PGConnection.class).getCopyAPI();
            CopyManager from = ref.unwrap(PGConnection.class).getCopyAPI();
            for (CopyableTable t : changed) {
                copy(from, into, t);
            }
            if (!rowByRow.isEmpty()) {
                long age = plan.decodedKeys().size() == rowByRow.size() ? 0 : ageOf(s, boundary & 0xFFFF_FFFFL);
                for (Map.Entry<CopyableTable, Long> t : rowByRow.entrySet()) {
                    Set<List<String>> decoded = plan.decodedKeys().get(t.getKey().oid());
                    if (decoded != null) {
                        putBackKeys(s, from, into, t.getKey(), decoded, t.getValue());
                    } else {
                        putBackRows(s, from, into, t.getKey(), age, t.getValue());
                    }
                }
            }
            if (!moved.isEmpty()) {
                StringBuilder setval = new StringBuilder("SELECT");
                for (SequenceState q : moved) {
                    setval.append(setval.length() > 6 ? ", " : " ").append("pg_catalog.setval(").append(q.oid())
                            .append("::oid::regclass, ").append(q.lastValue()).append(", ").append(q.called()).append(')');
                }
                s.executeQuery(setval.toString()).close();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void copy(CopyManager from, CopyManager into, CopyableTable t) throws SQLException {
        if (t.columns().isEmpty()) {
            return; // a table without columns can hold rows, but COPY cannot name them: refused earlier
        }
        String columns = String.join(", ", t.columns());
        copy(from, "COPY " + t.qualified() + " (" + columns + ") TO STDOUT (FORMAT binary)",
                into, "COPY " + t.qualified() + " (" + columns + ") FROM STDIN (FORMAT binary)");
    }

    /**
     * The age of the boundary transaction id in this transaction: a row version was written
     * since the mark when its {@code xmin} is at most this old. {@code age()} counts from one
     * transaction id that stays the same within a transaction, so both ages compare; it is plain
     * arithmetic per row (no text), and frozen or special ids are as old as can be.
     */
    private static long ageOf(Statement s, long boundary) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT pg_catalog.age('" + boundary + "'::xid)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Put back the rows of one table written since the boundary: delete every row version whose
     * {@code xmin} is at or after it, returning the keys, then copy the reference's rows with
     * those keys. Exact when every key the baseline had is among them or untouched, which holds
     * when the rows deleted minus the rows put back are the committed inserts.
     *
     * @param age the boundary's age in this transaction ({@link #ageOf})
     * @param inserted the table's live rows now minus at the mark: its committed inserts, as it had no deletes
     * @throws NotExact when the counts disagree (a key changed by an {@code UPDATE})
     */
    private static void putBackRows(Statement s, CopyManager from, CopyManager into, CopyableTable t, long age,
                                    long inserted) throws SQLException {
        List<List<String>> keys = new ArrayList<>();
        StringBuilder returning = new StringBuilder();
        for (String column : t.key()) {
            keys.add(new ArrayList<>());
            returning.append(returning.length() == 0 ? "" : ", ").append(column).append("::text");
        }
        long deleted = 0;
        try (ResultSet rs = s.executeQuery("DELETE FROM ONLY " + t.qualified() + " WHERE pg_catalog.age(xmin) <= "
                + age + " RETURNING " + returning)) {
            while (rs.next()) {
                deleted++;
                for (int i = 0; i < keys.size(); i++) {
                    keys.get(i).add(rs.getString(i + 1));
                }
            }
        }
        long restored = 0;
        if (deleted > 0) {
            String columns = String.join(", ", t.columns());
            restored = copy(from, "COPY (SELECT " + columns + " FROM ONLY " + t.qualified() + " WHERE "
                            + keyIn(t, keys) + ") TO STDOUT (FORMAT binary)",
                    into, "COPY " + t.qualified() + " (" + columns + ") FROM STDIN (FORMAT binary)");
        }
        if (deleted - restored != inserted) {
            throw new NotExact(t.qualified() + ": " + deleted + " row(s) written since the last reset, " + restored
                    + " of them the baseline's, but " + inserted + " committed insert(s)");
        }
    }

    /**
     * Put back the rows of one table with the keys logical decoding says were written since the
     * mark (inserted, updated, deleted, old and new keys of a key change): delete the rows now
     * holding those keys and copy the reference's rows with those keys. No scan: both go through
     * the primary key. Checked as {@link #putBackRows} is: the rows deleted minus the rows put
     * back must equal the live rows gained since the mark.
     *
     * @param written the key values, as text in key column order
     * @param gained the table's live rows now minus at the mark
     * @throws NotExact when the counts disagree
     */
    private static void putBackKeys(Statement s, CopyManager from, CopyManager into, CopyableTable t,
                                    Set<List<String>> written, long gained) throws SQLException {
        List<List<String>> keys = new ArrayList<>();
        for (int i = 0; i < t.key().size(); i++) {
            List<String> column = new ArrayList<>(written.size());
            for (List<String> key : written) {
                column.add(key.get(i));
            }
            keys.add(column);
        }
        String where = keyIn(t, keys);
        long deleted = s.executeUpdate("DELETE FROM ONLY " + t.qualified() + " WHERE " + where);
        String columns = String.join(", ", t.columns());
        long restored = copy(from, "COPY (SELECT " + columns + " FROM ONLY " + t.qualified() + " WHERE " + where
                        + ") TO STDOUT (FORMAT binary)",
                into, "COPY " + t.qualified() + " (" + columns + ") FROM STDIN (FORMAT binary)");
        if (deleted - restored != gained) {
            throw new NotExact(t.qualified() + ": " + deleted + " row(s) with keys written since the last reset, "
                    + restored + " of them the baseline's, but " + gained + " live row(s) gained");
        }
    }

    /** {@code key IN (the given values)}, the values sent as text array literals cast to the key's types. */
    private static String keyIn(CopyableTable t, List<List<String>> keys) {
        if (keys.size() == 1) {
            return t.key().get(0) + " = ANY(" + arrayLiteral(keys.get(0)) + "::" + t.keyTypes().get(0) + "[])";
        }
        StringBuilder unnest = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            unnest.append(i == 0 ? "" : ", ").append(arrayLiteral(keys.get(i))).append("::").append(t.keyTypes().get(i))
                    .append("[]");
        }
        return "(" + String.join(", ", t.key()) + ") IN (SELECT * FROM unnest(" + unnest + "))";
    }

    /** A text array literal as an SQL string literal (the reference session has standard_conforming_strings on). */
    static String arrayLiteral(List<String> values) {
        StringBuilder array = new StringBuilder("{");
        for (String v : values) {
            array.append(array.length() == 1 ? "" : ",").append('"')
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return "'" + array.append('}').toString().replace("'", "''") + "'";
    }

    /** Stream one COPY into another; return the rows written. */
    private static long copy(CopyManager from, String copyOut, CopyManager into, String copyIn) throws SQLException {
        CopyOut out = from.copyOut(copyOut);
        CopyIn in;
        try {
            in = into.copyIn(copyIn);
        } catch (SQLException e) {
            out.cancelCopy();
            throw e;
        }
        try {
            byte[] chunk;
            while ((chunk = out.readFromCopy()) != null) {
                in.writeToCopy(chunk, 0, chunk.length);
            }
            return in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                in.cancelCopy();
            }
            if (out.isActive()) {
                out.cancelCopy();
            }
            throw e;
        }
    }

    private static Set<Long> referencedFromOutside(Connection c, Set<Long> changed) throws SQLException {
        Set<Long> referenced = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT conrelid, confrelid FROM pg_catalog.pg_constraint WHERE contype = 'f'")) {
            while (rs.next()) {
                long from = rs.getLong(1);
                long to = rs.getLong(2);
                if (changed.contains(to) && !changed.contains(from)) {
                    referenced.add(to);
                }
            }
        }
        return referenced;
    }
}
