package dev.stateful.drill.cli;

import dev.stateful.Setting;
import dev.stateful.StatefulSettings;
import dev.stateful.cache.CacheDirectory;
import dev.stateful.error.StatefulException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cache} subcommands: list, export, import and prune the entries of a cache directory
 * ({@code stateful.cache.dir}) and of the Docker engine.
 */
final class CacheCommand {
    static final String USAGE = """
            Cache usage: java -jar stateful-drill.jar cache (list | export [KEY] | import [KEY] | prune [--keep N]) [--dir DIR]
              list           the engine's entries and the directory's archives, each archive checked in full
              export [KEY]   write the engine's entry of KEY to the directory (default: every entry without a good archive)
              import [KEY]   load the archive of KEY into the engine (default: every good archive the engine lacks)
              prune          remove bad archives, leftovers of crashed writes and good archives beyond the newest N
              --keep N       how many good archives prune keeps (default: 10)
              --dir DIR      the cache directory (default: STATEFUL_CACHE_DIR)
            Exit status: 0 on success, 1 when an archive is bad or an operation failed, 2 for bad arguments.""";

    private CacheCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.contains("--help")) {
            out.println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.get(0);
        String key = null;
        Path dir = null;
        int keep = 10;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            try {
                switch (arg) {
                    case "--dir" -> dir = Path.of(value(args, ++i, arg));
                    case "--keep" -> keep = Integer.parseInt(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("-") || key != null) {
                            return usage(err, "unknown argument '" + arg + "'; expected the options below. Fix: see "
                                    + "'cache --help'.");
                        }
                        key = arg;
                    }
                }
            } catch (NumberFormatException e) {
                return usage(err, "--keep '" + args.get(i) + "' is invalid; expected a whole number. Fix: use for "
                        + "example --keep 10.");
            } catch (IllegalArgumentException e) {
                return usage(err, e.getMessage());
            }
        }
        if (!List.of("list", "export", "import", "prune").contains(command)) {
            return usage(err, "cache command '" + command + "' does not exist; expected list, export, import or "
                    + "prune. Fix: see 'cache --help'.");
        }
        if (dir == null) {
            String fromEnv = StatefulSettings.fromSystem().get(Setting.CACHE_DIR);
            if (fromEnv.isEmpty()) {
                return usage(err, "no cache directory given; expected --dir DIR or STATEFUL_CACHE_DIR. Fix: add "
                        + "--dir with the directory your CI caches.");
            }
            dir = Path.of(fromEnv);
        }
        try {
            CacheDirectory cache = CacheDirectory.of(dir);
            return switch (command) {
                case "list" -> list(cache, out);
                case "export" -> export(cache, key, out);
                case "import" -> importArchives(cache, key, out);
                default -> prune(cache, keep, out);
            };
        } catch (StatefulException e) {
            err.println("stateful-drill cache: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("stateful-drill cache: " + command + " failed: " + e);
            return 1;
        }
    }

    private static int list(CacheDirectory cache, PrintStream out) {
        out.println("engine entries:");
        for (CacheDirectory.Entry e : cache.engineEntries()) {
            out.printf("  %s  %s  %s  %s%n", e.key(), Instant.ofEpochMilli(e.createdMillis()), e.dataVolume(),
                    e.image().isEmpty() ? "-" : e.image());
        }
        out.println("archives in " + cache.path() + ":");
        boolean allGood = true;
        for (CacheDirectory.Archive a : cache.archives()) {
            allGood &= a.good();
            out.println("  " + describe(a));
        }
        return allGood ? 0 : 1;
    }

    private static int export(CacheDirectory cache, String key, PrintStream out) {
        List<CacheDirectory.Archive> written = key == null ? cache.exportAll() : List.of(cache.export(key));
        written.forEach(a -> out.println("exported " + describe(a)));
        out.println(written.size() + " exported");
        return 0;
    }

    private static int importArchives(CacheDirectory cache, String key, PrintStream out) {
        List<String> keys = new ArrayList<>();
        if (key != null) {
            keys.add(key);
        } else {
            List<String> inEngine = cache.engineEntries().stream().map(CacheDirectory.Entry::key).toList();
            cache.archives().stream().filter(CacheDirectory.Archive::good).map(CacheDirectory.Archive::key)
                    .filter(k -> !inEngine.contains(k)).forEach(keys::add);
        }
        int bad = 0;
        for (String k : keys) {
            CacheDirectory.Archive a = cache.importEntry(k);
            out.println((a.good() ? "imported " : "NOT imported ") + describe(a));
            bad += a.good() ? 0 : 1;
        }
        out.println((keys.size() - bad) + " imported");
        return bad == 0 ? 0 : 1;
    }

    private static int prune(CacheDirectory cache, int keep, PrintStream out) {
        List<Path> removed = cache.prune(keep);
        removed.forEach(f -> out.println("removed " + f));
        out.println(removed.size() + " removed");
        return 0;
    }

    private static String describe(CacheDirectory.Archive a) {
        if (!a.good()) {
            return a.key() + "  BAD: " + a.problem();
        }
        return String.format("%s  good  postgres %s  %s  %d MB data, %d MB %s  %s", a.key(), a.postgresVersion(),
                a.created(), a.dataBytes() / 1_000_000, a.archiveBytes() / 1_000_000, a.compression(), a.image());
    }

    private static int usage(PrintStream err, String message) {
        err.println("stateful-drill cache: " + message);
        err.println(USAGE);
        return 2;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value; expected " + option + " VALUE. Fix: see "
                    + "'cache --help'.");
        }
        return args.get(i);
    }
}
