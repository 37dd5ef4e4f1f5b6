package dev.stateful.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.cache.CacheArchive;
import dev.stateful.internal.cache.DirectoryStore;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.testing.Sql;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.zip.GZIPInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache directory ({@code stateful.cache.dir}) against a real engine: an entry built once is
 * exported there; a runner whose engine has no entry imports it; a truncated, damaged or foreign
 * archive is rebuilt, never used; two writers of one key leave one good archive.
 */
@Tag("docker")
class CacheDirectoryTest {
    private static final String RUN = UUID.randomUUID().toString();
    private static final String KEY = CacheKey.builder().part("test-run", RUN).part("case", "directory").build();
    private static final String OTHER_KEY = CacheKey.builder().part("test-run", RUN).part("case", "other").build();
    private static Path built;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private final AtomicInteger builds = new AtomicInteger();

    /** Build the state once, with the directory set: the miss exports the entry. */
    @BeforeAll
    static void buildOnce() throws Exception {
        built = shared.resolve("built");
        StateCache cache = new StateCache(CacheMode.READWRITE, 10, built);
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheDirectoryTest").build()) {
            assertThat(cache.start(db, KEY, () -> seed(db))).as("the first start builds").isFalse();
        }
    }

    @BeforeEach
    void emptyTheEngineFirst() throws InterruptedException {
        emptyTheEngine();
    }

    @AfterAll
    static void emptyTheEngine() throws InterruptedException {
        assertThat(SharedEntries.awaitBackground(Duration.ofMinutes(2))).as("background entries made").isTrue();
        DockerEngine engine = DockerEngine.get();
        for (String key : List.of(KEY, OTHER_KEY)) {
            engine.volumesLabelled(StateCache.KEY_LABEL, key).forEach((marker, labels) -> {
                engine.removeVolume(marker);
                engine.removeVolume(labels.get(StateCache.DATA_LABEL));
            });
        }
    }

    private static void seed(StatefulPostgres db) throws java.sql.SQLException {
        Sql.run(db, "CREATE TABLE seeded AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, 5000) g");
        for (int i = 0; i < 4; i++) { // WAL segments the archive need not carry
            Sql.run(db, "CREATE TABLE scratch AS SELECT 1 AS x", "DROP TABLE scratch", "SELECT pg_switch_wal()");
        }
    }

    private StateCache.Build counted(StatefulPostgres db) {
        return () -> {
            builds.incrementAndGet();
            seed(db);
        };
    }

    private Path copyOfBuiltArchive(String asKey) throws Exception {
        Path file = dir.resolve(CacheArchive.fileName(asKey));
        Files.copy(built.resolve(CacheArchive.fileName(KEY)), file);
        return file;
    }

    /** Start with an empty engine on the test's directory; return whether it was a hit. */
    private boolean startOnAFreshRunner(String key) throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheDirectoryTest").build()) {
            boolean hit = new StateCache(CacheMode.READWRITE, 10, dir).start(db, key, counted(db));
            assertThat(Sql.count(db, "seeded")).as("the state is there, hit or not").isEqualTo(5000);
            return hit;
        }
    }

    @Test
    void anEntryExportedByOneRunIsImportedByARunWhoseEngineHasNone() throws Exception {
        Path file = copyOfBuiltArchive(KEY);
        CacheArchive.Check check;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            check = CacheArchive.check(channel, file, KEY);
        }
        assertThat(check.good()).as(check.reason()).isTrue();
        assertThat(check.manifest().key()).isEqualTo(KEY);
        assertThat(check.manifest().inputs()).containsEntry("case", "directory").containsEntry("test-run", RUN);
        assertThat(check.manifest().postgresVersion()).matches("\\d+");
        assertThat(check.manifest().compression()).isEqualTo("tar+gzip -1");
        assertThat(check.manifest().archiveBytes()).isPositive().isLessThan(check.manifest().dataBytes());

        assertThat(startOnAFreshRunner(KEY)).as("imported, not built").isTrue();
        assertThat(builds).hasValue(0);
        assertThat(SharedEntries.awaitBackground(Duration.ofMinutes(2))).isTrue();
        assertThat(DockerEngine.get().volumesLabelled(StateCache.KEY_LABEL, KEY)).as("the import filled the engine")
                .hasSize(1);
    }

    @Test
    void anArchiveHoldsOnlyTheWalSegmentsOfTheLastCheckpointAndStartsConsistent() throws Exception {
        Path file = copyOfBuiltArchive(KEY);
        List<String> wal = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CacheArchive.Check check = CacheArchive.check(channel, file, KEY);
            try (InputStream tar = new GZIPInputStream(CacheArchive.data(channel, check), 1 << 16)) {
                byte[] block = new byte[512];
                while (tar.readNBytes(block, 0, 512) == 512 && block[0] != 0) {
                    String name = new String(block, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
                    long size = Long.parseLong(new String(block, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
                    if (name.matches(".*pg_wal/[0-9A-F]{24}")) {
                        wal.add(name);
                    }
                    tar.skipNBytes((size + 511) / 512 * 512);
                }
            }
        }
        assertThat(wal).as("WAL segments in the archive").isNotEmpty().hasSizeLessThanOrEqualTo(2);

        StateCache readonly = new StateCache(CacheMode.READONLY, 10, dir);
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheDirectoryTest").build()) {
            assertThat(readonly.start(db, KEY, counted(db))).as("imported").isTrue();
            assertThat(Sql.count(db, "seeded")).isEqualTo(5000);
            assertThat(Sql.number(db, "SELECT count(*) FROM seeded WHERE payload = md5(id::text)"))
                    .as("every row as built").isEqualTo(5000L);
            Sql.run(db, "INSERT INTO seeded SELECT g, md5(g::text) FROM generate_series(5001, 6000) g");
            Sql.run(db, "CHECKPOINT");
            db.restart();
            assertThat(Sql.count(db, "seeded")).as("writes survive a restart").isEqualTo(6000);
        }
        assertThat(builds).hasValue(0);
    }

    @Test
    void aTruncatedArchiveIsRebuiltAndReplaced() throws Exception {
        Path file = copyOfBuiltArchive(KEY);
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size - 1000);
        }
        assertThat(startOnAFreshRunner(KEY)).as("a truncated archive is not used").isFalse();
        assertThat(builds).hasValue(1);
        assertGood(file, KEY);
    }

    @Test
    void anArchiveWithOneFlippedByteIsRebuiltAndReplaced() throws Exception {
        Path file = copyOfBuiltArchive(KEY);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raf.length() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
        assertThat(startOnAFreshRunner(KEY)).as("a damaged archive is not used").isFalse();
        assertThat(builds).hasValue(1);
        assertGood(file, KEY);
    }

    @Test
    void anArchiveOfAnotherKeyIsNotUsed() throws Exception {
        Path file = copyOfBuiltArchive(OTHER_KEY);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            assertThat(CacheArchive.check(channel, file, OTHER_KEY).status()).isEqualTo(CacheArchive.Status.FOREIGN);
        }
        assertThat(startOnAFreshRunner(OTHER_KEY)).as("a foreign archive is not used").isFalse();
        assertThat(builds).hasValue(1);
        assertGood(file, OTHER_KEY);
    }

    @Test
    void readonlyImportsStraightIntoTheVolumeButNeverWrites() throws Exception {
        copyOfBuiltArchive(KEY);
        StateCache readonly = new StateCache(CacheMode.READONLY, 10, dir);
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheDirectoryTest").build()) {
            assertThat(readonly.start(db, KEY, counted(db))).as("imported").isTrue();
            assertThat(Sql.count(db, "seeded")).isEqualTo(5000);
        }
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheDirectoryTest").build()) {
            assertThat(readonly.start(db, OTHER_KEY, counted(db))).as("no archive of this key").isFalse();
        }
        assertThat(builds).hasValue(1);
        assertThat(DockerEngine.get().volumesLabelled(StateCache.KEY_LABEL, KEY)).as("no engine entry").isEmpty();
        assertThat(dir.resolve(CacheArchive.fileName(OTHER_KEY))).as("nothing exported").doesNotExist();
    }

    @Test
    void twoRunsExportingTheSameEntryAtOnceLeaveOneGoodArchive() throws Exception {
        DockerEngine engine = DockerEngine.get();
        String image;
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheDirectoryTest").build()) {
            new StateCache(CacheMode.READWRITE, 10).start(db, KEY, counted(db));
            image = db.image();
        }
        String data = engine.volumesLabelled(StateCache.KEY_LABEL, KEY).values().iterator().next()
                .get(StateCache.DATA_LABEL);
        DirectoryStore store = new DirectoryStore(engine, dir);
        CyclicBarrier together = new CyclicBarrier(2);
        Callable<String> export = () -> {
            together.await();
            return store.export(image, data, KEY, java.util.Map.of()).archiveSha256();
        };
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<String> a = two.submit(export);
            Future<String> b = two.submit(export);
            assertThat(List.of(a.get(), b.get())).contains(assertGood(dir.resolve(CacheArchive.fileName(KEY)), KEY));
        } finally {
            two.shutdown();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file is left")
                    .containsExactly(CacheArchive.fileName(KEY));
        }
        emptyTheEngine();
        assertThat(startOnAFreshRunner(KEY)).isTrue();
    }

    private static String assertGood(Path file, String key) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CacheArchive.Check check = CacheArchive.check(channel, file, key);
            assertThat(check.good()).as("archive %s: %s", file, check.reason()).isTrue();
            return check.manifest().archiveSha256();
        }
    }
}
