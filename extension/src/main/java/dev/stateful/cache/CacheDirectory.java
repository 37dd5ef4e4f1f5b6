package dev.stateful.cache;

import dev.stateful.Setting;
import dev.stateful.StatefulSettings;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.cache.CacheArchive;
import dev.stateful.internal.cache.DirectoryStore;
import dev.stateful.internal.engine.DockerEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache directory ({@code stateful.cache.dir}) by hand: list its archives and the engine's
 * entries, export engine entries into it, import its archives into the engine, prune it. The
 * command line's {@code cache} subcommands call this class.
 *
 * <pre>{@code
 * CacheDirectory dir = CacheDirectory.of(Path.of(".stateful-cache"));
 * dir.exportAll();                       // every engine entry without a good archive
 * dir.archives().forEach(a -> System.out.println(a.key() + " " + a.good()));
 * }</pre>
 */
public final class CacheDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(CacheDirectory.class);
    private static final long LEFTOVER_AGE_MILLIS = 60 * 60 * 1000L;
    private final DirectoryStore store;

    /**
     * One archive of the directory, checked in full.
     *
     * @param key the key its file name names
     * @param file the file
     * @param good whether it may be imported
     * @param problem why not, empty when good
     * @param postgresVersion the data directory's {@code PG_VERSION}, empty when unreadable
     * @param image the image the state was built with, empty when unreadable
     * @param created when it was written (ISO-8601), empty when unreadable
     * @param dataBytes the size of the data directory, {@code -1} when unreadable
     * @param archiveBytes the size of the compressed data, {@code -1} when unreadable
     * @param compression how the data is compressed, empty when unreadable
     */
    public record Archive(String key, Path file, boolean good, String problem, String postgresVersion, String image,
                          String created, long dataBytes, long archiveBytes, String compression) {
    }

    /**
     * One entry of the engine's cache.
     *
     * @param key its key
     * @param dataVolume the volume holding its data directory
     * @param image the image it was built with, empty when not recorded
     * @param createdMillis when it was stored
     */
    public record Entry(String key, String dataVolume, String image, long createdMillis) {
    }

    private CacheDirectory(DirectoryStore store) {
        this.store = store;
    }

    /**
     * Open a cache directory (created on the first export).
     *
     * @param directory the directory
     * @return the cache directory
     * @throws InvalidArgumentException when the path is a file
     */
    public static CacheDirectory of(Path directory) {
        StateCache.checkDirectory(directory);
        return new CacheDirectory(new DirectoryStore(DockerEngine.get(), directory));
    }

    /**
     * Return the directory.
     *
     * @return its path
     */
    public Path path() {
        return store.directory();
    }

    /**
     * Check every archive of the directory (reads each in full).
     *
     * @return the archives, in file name order
     */
    public List<Archive> archives() {
        return store.list().stream().map(CacheDirectory::archive).toList();
    }

    /**
     * List the engine's cache entries.
     *
     * @return the entries, newest first
     */
    public List<Entry> engineEntries() {
        return store.engine().volumesLabelled(StateCache.KEY_LABEL, null).values().stream()
                .filter(l -> l.get(StateCache.DATA_LABEL) != null)
                .map(l -> new Entry(l.get(StateCache.KEY_LABEL), l.get(StateCache.DATA_LABEL),
                        l.getOrDefault(StateCache.IMAGE_LABEL, ""), StateCache.created(l)))
                .sorted(Comparator.comparingLong(Entry::createdMillis).reversed())
                .toList();
    }

    /**
     * Export the engine's newest entry of a key into the directory, replacing its archive.
     *
     * @param key the key
     * @return the archive written
     * @throws InvalidArgumentException when the engine has no entry of the key
     */
    public Archive export(String key) {
        Entry entry = engineEntries().stream().filter(e -> e.key().equals(key)).findFirst()
                .orElseThrow(() -> new InvalidArgumentException("cache key '" + key + "' has no entry in the Docker "
                        + "engine; expected one of the keys 'cache list' shows under engine. Fix: run the tests that "
                        + "build it first, or pick a listed key."));
        String image = entry.image().isEmpty() ? StatefulSettings.fromSystem().get(Setting.IMAGE) : entry.image();
        store.export(image, entry.dataVolume(), key, CacheKey.inputsOf(key));
        return checked(key);
    }

    /**
     * Export every engine entry that has no good archive in the directory yet.
     *
     * @return the archives written
     */
    public List<Archive> exportAll() {
        List<String> good = archives().stream().filter(Archive::good).map(Archive::key).toList();
        List<Archive> written = new ArrayList<>();
        for (String key : engineEntries().stream().map(Entry::key).distinct().toList()) {
            if (!good.contains(key)) {
                written.add(export(key));
            }
        }
        return written;
    }

    /**
     * Import the archive of a key into the engine as a new entry, when it is good.
     *
     * @param key the key
     * @return the archive as checked; {@link Archive#good()} tells whether it was imported
     * @throws InvalidArgumentException when the directory has no archive of the key
     */
    public Archive importEntry(String key) {
        Archive archive = checked(key);
        if (archive.good()) {
            StateCache.newEntry(store.engine(), archive.image(), key,
                    volume -> SharedEntries.imported(store, archive.image(), volume, key));
        }
        return archive;
    }

    /**
     * Remove from the directory what should not stay: archives that are not good, temporary files
     * of writes that crashed (older than an hour), and good archives beyond the {@code keep}
     * newest. Only Stateful's files ({@code *.stateful-cache}, {@code *.stateful-cache.*.tmp}) are
     * ever removed.
     *
     * @param keep how many good archives to keep, at least 0
     * @return the files removed
     */
    public List<Path> prune(int keep) {
        if (keep < 0) {
            throw new InvalidArgumentException("prune keep '" + keep + "' is invalid; expected 0 or more archives to "
                    + "keep. Fix: use for example 10.");
        }
        List<Path> removed = new ArrayList<>();
        List<Archive> good = new ArrayList<>();
        for (Archive archive : archives()) {
            if (archive.good()) {
                good.add(archive);
            } else {
                delete(archive.file(), removed);
            }
        }
        good.sort(Comparator.comparing(Archive::created).reversed());
        good.subList(Math.min(keep, good.size()), good.size()).forEach(a -> delete(a.file(), removed));
        if (Files.isDirectory(path())) {
            long now = System.currentTimeMillis();
            try (var files = Files.list(path())) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.contains(CacheArchive.SUFFIX + ".") && name.endsWith(".tmp")
                            && now - Files.getLastModifiedTime(file).toMillis() > LEFTOVER_AGE_MILLIS) {
                        delete(file, removed);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list cache directory " + path() + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    private Archive checked(String key) {
        Path file = store.fileOf(key);
        if (!Files.isRegularFile(file)) {
            throw new InvalidArgumentException("cache key '" + key + "' has no archive in " + path() + "; expected a "
                    + "file " + file.getFileName() + ". Fix: export it first, or pick a key 'cache list' shows.");
        }
        return store.list().stream().filter(c -> c.file().equals(file)).findFirst().map(CacheDirectory::archive)
                .orElseThrow();
    }

    private static Archive archive(CacheArchive.Check check) {
        String name = check.file().getFileName().toString();
        String key = name.substring(0, name.length() - CacheArchive.SUFFIX.length());
        var m = Optional.ofNullable(check.manifest());
        return new Archive(key, check.file(), check.good(), check.reason(),
                m.map(x -> x.postgresVersion()).orElse(""), m.map(x -> x.image()).orElse(""),
                m.map(x -> x.created()).orElse(""), m.map(x -> x.dataBytes()).orElse(-1L),
                m.map(x -> x.archiveBytes()).orElse(-1L), m.map(x -> x.compression()).orElse(""));
    }

    private static void delete(Path file, List<Path> removed) {
        try {
            if (Files.deleteIfExists(file)) {
                removed.add(file);
                LOG.info("Pruned {}", file);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", file, e.toString());
        }
    }
}
