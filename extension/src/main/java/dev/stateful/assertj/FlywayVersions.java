package dev.stateful.assertj;

import dev.stateful.assertj.Catalog.HistoryRow;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Compare and pick Flyway versions the way Flyway does: {@code 1.10 > 1.9}, {@code 2 == 2.0}. */
final class FlywayVersions {
    /** Orders valid versions numerically, part by part. */
    static final Comparator<String> ORDER = (a, b) -> compare(parse(a).orElseThrow(), parse(b).orElseThrow());

    private FlywayVersions() {
    }

    /**
     * Parse a version: numbers separated by {@code .} or {@code _}; trailing zero parts are dropped.
     *
     * @return the parts, or empty when it is not a Flyway version
     */
    static Optional<List<BigInteger>> parse(String version) {
        if (version == null || !version.strip().matches("\\d+([._]\\d+)*")) {
            return Optional.empty();
        }
        List<BigInteger> parts = new ArrayList<>();
        for (String part : version.strip().split("[._]")) {
            parts.add(new BigInteger(part));
        }
        while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        return Optional.of(parts);
    }

    static boolean same(String a, String b) {
        Optional<List<BigInteger>> pa = parse(a);
        Optional<List<BigInteger>> pb = parse(b);
        return pa.isPresent() && pa.equals(pb);
    }

    /**
     * Return the version the history leaves the schema at: the highest version whose latest
     * successful entry applied it (not undone by an {@code UNDO_*} entry, not marked {@code DELETE}).
     * Repeatable migrations (no version), failed entries, the {@code SCHEMA} marker and versions
     * Flyway could not have written are ignored.
     */
    static Optional<String> current(List<HistoryRow> history) {
        Map<List<BigInteger>, String> applied = new LinkedHashMap<>();
        history.stream().sorted(Comparator.comparingInt(HistoryRow::rank)).forEach(row -> {
            Optional<List<BigInteger>> version = parse(row.version());
            if (!row.success() || version.isEmpty()) {
                return;
            }
            String type = row.type() == null ? "" : row.type();
            if (type.equals("SCHEMA")) {
                return;
            }
            if (type.startsWith("UNDO") || type.equals("DELETE")) {
                applied.remove(version.get());
            } else {
                applied.put(version.get(), row.version());
            }
        });
        return applied.values().stream().max(ORDER);
    }

    private static int compare(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
