package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.MigrationException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import liquibase.ChecksumVersion;
import liquibase.GlobalConfiguration;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.AbstractResourceAccessor;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read a Liquibase changelog without a database: find it (classpath or file), parse it inside a
 * Liquibase scope that logs through SLF4J and calls nobody home, list its tags and digest
 * everything its state depends on. Loaded only once {@link Changelogs#require} found Liquibase.
 */
final class ChangelogFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ChangelogFiles.class);

    private ChangelogFiles() {
    }

    /** Return the tags of the changelog, in changelog order. */
    static List<String> tags(MigrationSettings settings) {
        String spec = settings.changelog().orElseThrow();
        return offline(spec, (location, log) -> tags(log));
    }

    /**
     * Return a digest of everything the changelog's state depends on: every changeset's
     * identity, filters and Liquibase checksum (which covers sqlFile and loadData contents), and
     * the bytes of every file the parser read (the changelog and each include).
     */
    static String digest(MigrationSettings settings) {
        String spec = settings.changelog().orElseThrow();
        Location location = Location.of(spec);
        RecordingAccessor recording = new RecordingAccessor(location.accessor());
        try {
            Map<String, String> parts = inScope(location.loader(), recording, () -> {
                DatabaseChangeLog log = parse(location, recording, new PostgresDatabase());
                Map<String, String> p = new TreeMap<>();
                int i = 0;
                for (ChangeSet cs : log.getChangeSets()) {
                    p.put(String.format("changeset-%05d", i++), cs.toString(false) + "|" + cs.getContextFilter() + "|"
                            + cs.getLabels() + "|" + cs.getDbmsSet() + "|" + cs.isRunInTransaction() + "|"
                            + cs.generateCheckSum(ChecksumVersion.latest()));
                }
                return p;
            });
            for (Resource r : recording.seen()) {
                try (InputStream in = r.openInputStream()) {
                    parts.put("file:" + r.getPath(), sha256(in));
                }
            }
            MessageDigest digest = sha256();
            parts.forEach((k, v) -> digest.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new MigrationException("Cannot read changelog '" + spec + "' for the cache key: " + e.getMessage()
                    + ". Fix: check that its files are readable.", e);
        } finally {
            closeQuietly(location.accessor());
        }
    }

    private interface OfflineBody<T> {
        T run(Location location, DatabaseChangeLog log) throws Exception;
    }

    private static <T> T offline(String spec, OfflineBody<T> body) {
        Location location = Location.of(spec);
        try {
            return inScope(location.loader(), location.accessor(),
                    () -> body.run(location, parse(location, location.accessor(), new PostgresDatabase())));
        } finally {
            closeQuietly(location.accessor());
        }
    }

    static List<String> tags(DatabaseChangeLog log) {
        List<String> tags = new ArrayList<>();
        for (ChangeSet cs : log.getChangeSets()) {
            for (Change c : cs.getChanges()) {
                if (c instanceof TagDatabaseChange t && !tags.contains(t.getTag())) {
                    tags.add(t.getTag());
                }
            }
        }
        return tags;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    static DatabaseChangeLog parse(Location location, ResourceAccessor accessor, Database db)
            throws Exception {
        try {
            return ChangeLogParserFactory.getInstance().getParser(location.path(), accessor)
                    .parse(location.path(), new ChangeLogParameters(db), accessor);
        } catch (liquibase.exception.LiquibaseException e) {
            throw new MigrationException("Liquibase cannot parse changelog '" + location.spec() + "': "
                    + rootMessage(e) + ". Fix: correct the changelog or the file it names.", e);
        }
    }

    interface Body<T> {
        T run() throws Exception;
    }

    static <T> T inScope(ClassLoader loader, ResourceAccessor accessor, Body<T> body) {
        Map<String, Object> values = new HashMap<>();
        values.put(Scope.Attr.resourceAccessor.name(), accessor);
        values.put(Scope.Attr.classLoader.name(), loader);
        values.put(Scope.Attr.logService.name(), new Slf4jLogService());
        values.put(Scope.Attr.ui.name(), new LoggerUIService());
        values.put("liquibase.analytics.enabled", false); // no call home, no shutdown hook
        values.put(GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getKey(), 1L); // minutes a held lock is waited for
        try {
            return Scope.child(values, body::run);
        } catch (MigrationException | InvalidArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new MigrationException("Liquibase failed: " + rootMessage(e) + ". Fix: check the changelog.", e);
        }
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing a Liquibase resource accessor failed: {}", e.toString());
        }
    }

    /** Where the changelog is: the path Liquibase records, and the accessor that finds it and its includes. */
    record Location(String spec, String path, ClassLoader loader, ResourceAccessor accessor) {
        static Location of(String spec) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = ChangelogFiles.class.getClassLoader();
            }
            if (spec.startsWith("filesystem:")) {
                Path file = Path.of(spec.substring("filesystem:".length()));
                if (!Files.isRegularFile(file)) {
                    throw new InvalidArgumentException("changelog '" + spec + "' not found: no file "
                            + file.toAbsolutePath() + "; expected a Liquibase changelog (XML, YAML, JSON or formatted "
                            + "SQL). Fix: give a path relative to the working directory, or use 'classpath:'.");
                }
                // Relative: resolved against the working directory (as the Liquibase CLI's search path),
                // so the path recorded in databasechangelog is the one written. Absolute: against its directory.
                Path root = file.isAbsolute() ? file.toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
                String path = file.isAbsolute() ? file.getFileName().toString()
                        : file.normalize().toString().replace('\\', '/');
                try {
                    return new Location(spec, path, loader, new DirectoryResourceAccessor(root));
                } catch (FileNotFoundException e) {
                    throw new InvalidArgumentException("changelog '" + spec + "': directory " + root + " is missing. "
                            + "Fix: check the path.");
                }
            }
            String path = spec.replaceFirst("^classpath:", "").replaceFirst("^/+", "");
            if (loader.getResource(path) == null) {
                throw new InvalidArgumentException("changelog '" + spec + "' not found on the classpath; expected a "
                        + "Liquibase changelog (XML, YAML, JSON or formatted SQL) at " + path + ". Fix: put it under "
                        + "src/test/resources or src/main/resources, or use 'filesystem:' for a file outside them.");
            }
            return new Location(spec, path, loader, new ClassLoaderResourceAccessor(loader));
        }
    }

    /** Records every resource the parser looks up, so that the cache key covers each included file. */
    private static final class RecordingAccessor extends AbstractResourceAccessor {
        private final ResourceAccessor delegate;
        private final Map<String, Resource> seen = new TreeMap<>();

        RecordingAccessor(ResourceAccessor delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<Resource> search(String path, boolean recursive) throws IOException {
            return record(delegate.search(path, recursive));
        }

        @Override
        public List<Resource> getAll(String path) throws IOException {
            return record(delegate.getAll(path));
        }

        @Override
        public List<String> describeLocations() {
            return delegate.describeLocations();
        }

        @Override
        public void close() {
            // the delegate is closed by its owner
        }

        private synchronized List<Resource> record(List<Resource> resources) {
            if (resources != null) {
                for (Resource r : resources) {
                    if (r.exists() && !r.getPath().endsWith("/")) {
                        seen.putIfAbsent(r.getPath(), r);
                    }
                }
            }
            return resources;
        }

        synchronized List<Resource> seen() {
            return List.copyOf(seen.values());
        }
    }

    /** Liquibase's log through SLF4J; its chatty INFO goes to debug. */
    private static final class Slf4jLogService extends AbstractLogService {
        @Override
        public int getPriority() {
            return PRIORITY_SPECIALIZED;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public liquibase.logging.Logger getLog(Class clazz) {
            Logger log = LoggerFactory.getLogger(clazz);
            return new AbstractLogger() {
                @Override
                public void log(Level level, String message, Throwable e) {
                    int v = level.intValue();
                    if (level == Level.OFF) {
                        log.debug(message, e); // Liquibase's notes such as "User has disabled analytics."
                    } else if (v >= Level.SEVERE.intValue()) {
                        // A failing changeset: Stateful's MigrationFailedException reports it in full.
                        log.warn(message);
                        log.debug(message, e);
                    } else if (v >= Level.WARNING.intValue()) {
                        log.warn(message, e);
                    } else if (v >= Level.INFO.intValue()) {
                        log.debug(message, e);
                    } else {
                        log.trace(message, e);
                    }
                }

                @Override
                public void close() {
                    // nothing to release
                }
            };
        }
    }
}
