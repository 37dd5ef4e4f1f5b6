package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.testing.Sql;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.cache.StateCache;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.engine.MigratorImages;
import dev.stateful.internal.engine.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-run state cache with a Liquibase changelog and with a migrator image: a second run
 * of the same class starts from the cached state; editing a file the changelog includes, or
 * rebuilding the migrator image, is a miss that builds again. Each build writes a random value,
 * so a hit and a miss can be told apart. The cache entries made here are removed afterwards.
 */
@Tag("docker")
class MigrationCacheKeysTest {
    static final String IMAGE = "stateful-test/cache-migrator:annotation";
    private static final DockerEngine ENGINE = DockerEngine.get();
    private static final Set<String> OWN_KEYS = new HashSet<>();
    private static final List<String> IMAGE_IDS = new ArrayList<>();

    @Test
    void aChangelogRunIsCachedAndAnEditOfAnIncludedFileIsAMiss(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("more"));
        Files.writeString(dir.resolve("master.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: probe
                      author: stateful
                      changes:
                        - sql: {sql: "CREATE TABLE cache_probe (built text NOT NULL); INSERT INTO cache_probe VALUES (md5(random()::text))"}
                  - include: {file: more/extra.yaml, relativeToChangelogFile: true}
                """);
        Files.writeString(dir.resolve("more/extra.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: extra
                      author: stateful
                      comment: %s
                      changes:
                        - sql: {sql: "CREATE TABLE extra (a int)"}
                """.formatted(UUID.randomUUID()));
        Map<String, String> config = Map.of("stateful.liquibase.changelog", "filesystem:" + dir.resolve("master.yaml"));

        String first = run(config, ChangelogProbe.class);
        String second = run(config, ChangelogProbe.class);
        Files.writeString(dir.resolve("more/extra.yaml"), "# edited\n", StandardOpenOption.APPEND);
        String edited = run(config, ChangelogProbe.class);

        assertThat(second).as("the second run starts from the cached state").isEqualTo(first);
        assertThat(edited).as("an edit of an included file is a miss").isNotEqualTo(first);
    }

    @Test
    void aMigratorImageRunIsCachedAndARebuiltImageIsAMiss() {
        build();
        String first = run(Map.of(), ImageProbe.class);
        String second = run(Map.of(), ImageProbe.class);
        build(); // the same tag, another image id
        String rebuilt = run(Map.of(), ImageProbe.class);

        assertThat(second).as("the second run starts from the cached state").isEqualTo(first);
        assertThat(rebuilt).as("a rebuilt migrator image is a miss").isNotEqualTo(first);
    }

    @AfterAll
    static void cleanUp() {
        for (String key : OWN_KEYS) {
            ENGINE.volumesLabelled(StateCache.KEY_LABEL, key).keySet().forEach(MigrationCacheKeysTest::removeQuietly);
            ENGINE.volumesLabelled(StateCache.DATA_LABEL, key).keySet().forEach(MigrationCacheKeysTest::removeQuietly);
        }
        TestImages.remove(IMAGE);
        IMAGE_IDS.forEach(TestImages::remove);
    }

    private static void build() {
        Map<String, String> migrations = Map.of("001_probe.sql", "-- " + UUID.randomUUID() + "\n"
                + "CREATE TABLE cache_probe (built text NOT NULL);\n"
                + "INSERT INTO cache_probe VALUES (md5(random()::text));\n");
        IMAGE_IDS.add(MigratorImages.build(StatefulSettings.defaultImage(), IMAGE, migrations));
    }

    private static String run(Map<String, String> config, Class<?> probe) {
        Set<String> before = ownMarkers();
        Captured.clear();
        Map<String, String> all = new HashMap<>(config);
        all.put(StateCache.CACHE_PROPERTY_NAME, "readwrite");
        all.put(StateCache.MAX_ENTRIES_PROPERTY_NAME, "1000");
        Kit.run(all, probe).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        Set<String> added = new HashSet<>(ownMarkers());
        added.removeAll(before);
        added.forEach(name -> ENGINE.volumeLabels(name).map(l -> l.get(StateCache.KEY_LABEL)).ifPresent(OWN_KEYS::add));
        return Captured.only("built");
    }

    private static Set<String> ownMarkers() {
        Set<String> names = new HashSet<>();
        ENGINE.volumesLabelled(StateCache.KEY_LABEL, null).forEach((name, labels) -> {
            if (Labels.runId().equals(labels.get(Labels.RUN)) && labels.get(StateCache.KEY_LABEL) != null) {
                names.add(name);
            }
        });
        return names;
    }

    private static void removeQuietly(String volume) {
        try {
            ENGINE.removeVolume(volume);
        } catch (RuntimeException e) {
            System.err.println("cache volume " + volume + " not removed: " + e.getMessage());
        }
    }

    /** Takes its changelog from the configuration parameter stateful.liquibase.changelog. */
    @WithVolume
    @MigratedTo
    static class ChangelogProbe {
        @Test
        void test(StatefulPostgres db) throws Exception {
            Captured.add("built", Sql.column(db, "SELECT built FROM cache_probe").get(0));
        }
    }

    @WithVolume
    @MigratedTo(image = IMAGE, command = "migrate")
    static class ImageProbe {
        @Test
        void test(StatefulPostgres db) throws Exception {
            Captured.add("built", Sql.column(db, "SELECT built FROM cache_probe").get(0));
        }
    }
}
