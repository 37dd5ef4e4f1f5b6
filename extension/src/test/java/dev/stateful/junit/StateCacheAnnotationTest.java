package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.cache.StateCache;
import dev.stateful.StatefulPostgres;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.testing.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-run state cache through {@code @MigratedTo}: a second run of the same class starts
 * from the cached state, a changed migration script is a miss that applies the new script, and
 * {@code stateful.cache=off} builds every time. The migrations live in a temporary directory
 * with a unique comment, so the keys are this test's own; the cache volumes it made are
 * removed afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("docker")
class StateCacheAnnotationTest {
    private static final DockerEngine ENGINE = DockerEngine.get();
    private static final String V1 = "-- stateful cache test %s\n"
            + "CREATE TABLE cache_probe (built text NOT NULL);\n"
            + "INSERT INTO cache_probe VALUES (md5(random()::text));\n";

    @TempDir
    static Path migrations;

    /** Keys of the entries this test made: removed in {@link #removeOwnCacheEntries()}. */
    private static final Set<String> OWN_KEYS = new HashSet<>();
    private static String firstBuild;
    private static String editedBuild;

    @Test
    @Order(1)
    void firstRunIsAMissAndStoresOneEntry() throws Exception {
        Files.writeString(migrations.resolve("V1__cache_probe.sql"), V1.formatted(UUID.randomUUID()));
        Set<String> before = ownMarkers();

        firstBuild = runProbe("readwrite");

        Set<String> added = added(before);
        assertThat(added).as("one marker stored").hasSize(1);
        assertThat(Captured.only("cache.columns")).isEqualTo("[built]");
    }

    @Test
    @Order(2)
    void secondRunStartsFromTheCache() {
        Set<String> before = ownMarkers();

        String second = runProbe("readwrite");

        assertThat(second).as("the row built by the first run, not built again").isEqualTo(firstBuild);
        assertThat(added(before)).as("no new entry").isEmpty();
        assertThat(markersOf(OWN_KEYS)).as("still one marker for the key").hasSize(1);
    }

    @Test
    @Order(3)
    void aChangedMigrationIsAMissAndIsApplied() throws Exception {
        // Edit the applied script: the cached state must not hide it.
        Files.writeString(migrations.resolve("V1__cache_probe.sql"), V1.formatted(UUID.randomUUID())
                + "ALTER TABLE cache_probe ADD COLUMN edited boolean NOT NULL DEFAULT true;\n");
        Set<String> before = ownMarkers();

        editedBuild = runProbe("readwrite");

        assertThat(editedBuild).as("built again").isNotEqualTo(firstBuild);
        assertThat(Captured.only("cache.columns")).isEqualTo("[built, edited]");
        assertThat(added(before)).as("a new entry for the new key").hasSize(1);
    }

    @Test
    @Order(4)
    void cacheOffBuildsEveryTime() {
        Set<String> before = ownMarkers();

        String first = runProbe("off");
        String second = runProbe("off");

        assertThat(first).isNotEqualTo(editedBuild).isNotEqualTo(second);
        assertThat(added(before)).as("nothing stored").isEmpty();
    }

    @AfterAll
    static void removeOwnCacheEntries() {
        for (String key : OWN_KEYS) {
            markersOf(Set.of(key)).forEach(StateCacheAnnotationTest::removeQuietly);
            ENGINE.volumesLabelled(StateCache.DATA_LABEL, key).keySet().forEach(StateCacheAnnotationTest::removeQuietly);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Run {@link Probe} and return the value its build wrote. */
    private static String runProbe(String mode) {
        Captured.clear();
        Kit.run(Map.of(StateCache.CACHE_PROPERTY_NAME, mode,
                // Keep other projects' entries on this engine out of this test's eviction.
                StateCache.MAX_ENTRIES_PROPERTY_NAME, "1000",
                Preparation.LOCATIONS_PROPERTY_NAME, "filesystem:" + migrations), Probe.class)
                .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        return Captured.only("cache.built");
    }

    /** Markers this JVM stored (label {@code dev.stateful.cache=<key>}). */
    private static Set<String> ownMarkers() {
        Set<String> names = new HashSet<>();
        ENGINE.volumesLabelled(StateCache.KEY_LABEL, null).forEach((name, labels) -> {
            if (Labels.runId().equals(labels.get(Labels.RUN)) && labels.get(StateCache.KEY_LABEL) != null) {
                names.add(name);
            }
        });
        return names;
    }

    /** Markers added since {@code before}; their keys are remembered for the cleanup. */
    private static Set<String> added(Set<String> before) {
        Set<String> added = new HashSet<>(ownMarkers());
        added.removeAll(before);
        added.forEach(name -> ENGINE.volumeLabels(name).map(l -> l.get(StateCache.KEY_LABEL)).ifPresent(OWN_KEYS::add));
        return added;
    }

    private static Set<String> markersOf(Set<String> keys) {
        Set<String> names = new HashSet<>();
        for (String key : keys) {
            names.addAll(ENGINE.volumesLabelled(StateCache.KEY_LABEL, key).keySet());
        }
        return names;
    }

    private static void removeQuietly(String volume) {
        try {
            ENGINE.removeVolume(volume);
        } catch (RuntimeException e) {
            System.err.println("cache volume " + volume + " not removed: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ example run by the kit

    @WithVolume
    @MigratedTo
    static class Probe {
        @Test
        void test(StatefulPostgres db) throws Exception {
            Captured.add("cache.built", Sql.text(db, "SELECT built FROM cache_probe"));
            Captured.add("cache.columns", Sql.column(db,
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'cache_probe' ORDER BY 1"));
        }
    }
}
