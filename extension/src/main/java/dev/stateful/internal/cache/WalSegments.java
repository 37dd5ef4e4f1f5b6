package dev.stateful.internal.cache;

import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL segments a cleanly shut down data directory does not need: all but the segment of the
 * last checkpoint's redo point and the one after it (the checkpoint record may cross into it).
 * Startup reads nothing else, and the server writes new segments. After a crash, or when the
 * control file cannot be read, none is left out. They are about a third of a freshly migrated
 * data directory, so exports and pushes leave them out.
 */
final class WalSegments {
    private static final Logger LOG = LoggerFactory.getLogger(WalSegments.class);

    private WalSegments() {
    }

    /**
     * Return the segments to leave out, as paths relative to {@code root}.
     *
     * @param engine the engine
     * @param helper a running helper container of the entry's image
     * @param root where the volume is mounted in it
     * @return such as {@code pg_wal/000000010000000000000003}; empty to keep every one
     */
    static List<String> notNeeded(DockerEngine engine, String helper, String root) {
        ExecResult control = engine.exec(helper, "root", List.of("find", root, "-maxdepth", "3", "-path",
                "*/global/pg_control"));
        String path = control.stdoutText().strip();
        if (!control.succeeded() || path.isEmpty() || path.contains("\n")) {
            return List.of();
        }
        String dataDir = path.substring(0, path.length() - "/global/pg_control".length());
        ExecResult read = engine.exec(helper, "root", List.of("pg_controldata", dataDir));
        String state = field(read.stdoutText(), "Database cluster state:");
        String redo = field(read.stdoutText(), "Latest checkpoint's REDO WAL file:");
        if (!read.succeeded() || !"shut down".equals(state) || !redo.matches("[0-9A-F]{24}")) {
            LOG.info("The cache keeps the whole WAL: the cluster state is '{}'", state);
            return List.of();
        }
        ExecResult listed = engine.exec(helper, "root", List.of("find", dataDir + "/pg_wal", "-maxdepth", "1",
                "-type", "f", "-printf", "%f %s\n"));
        List<String[]> segments = listed.stdoutText().lines().map(l -> l.split(" "))
                .filter(f -> f.length == 2 && f[0].matches("[0-9A-F]{24}")).sorted((a, b) -> a[0].compareTo(b[0]))
                .toList();
        List<String> kept = segments.stream().map(f -> f[0]).filter(n -> n.compareTo(redo) >= 0).limit(2).toList();
        if (!kept.contains(redo)) {
            return List.of();
        }
        String prefix = dataDir.equals(root) ? "pg_wal/" : dataDir.substring(root.length() + 1) + "/pg_wal/";
        List<String> left = new ArrayList<>();
        long bytes = 0;
        for (String[] segment : segments) {
            if (!kept.contains(segment[0])) {
                left.add(prefix + segment[0]);
                bytes += Long.parseLong(segment[1]);
            }
        }
        LOG.info("The cache leaves out {} of {} WAL segments ({} MB) after a clean shutdown; keeps {}", left.size(),
                segments.size(), bytes / 1_000_000, kept);
        return left;
    }

    private static String field(String controlData, String name) {
        return controlData.lines().filter(l -> l.startsWith(name)).map(l -> l.substring(name.length()).strip())
                .findFirst().orElse("");
    }
}
