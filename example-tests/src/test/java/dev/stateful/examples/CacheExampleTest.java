package dev.stateful.examples;

import static dev.stateful.assertj.StatefulAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulPostgres;
import dev.stateful.cache.CacheKey;
import dev.stateful.cache.StateCache;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cross-run state cache by hand, as code outside JUnit's annotations uses it. */
@Tag("docker")
class CacheExampleTest {
    @Test
    void theSecondStartWithTheSameKeyIsACacheHit() throws Exception {
        Path dump = Path.of("src/test/resources/dumps/shop-v1.sql");
        // tag::cache-by-hand[]
        String key = CacheKey.builder()
                .part("image", ExampleImages.currentMajor())
                .file("dump", dump)                              // the file's bytes
                .build();
        StateCache cache = StateCache.fromSettings();            // stateful.cache, stateful.cache.max-entries
        try (StatefulPostgres first = StatefulPostgres.builder().image(ExampleImages.currentMajor()).build()) {
            cache.start(first, key, () -> first.restoreDump(dump));            // builds and stores on a miss
        }
        try (StatefulPostgres second = StatefulPostgres.builder().image(ExampleImages.currentMajor()).build()) {
            boolean hit = cache.start(second, key, () -> {
                throw new AssertionError("a hit copies the cached data directory instead");
            });
            assertThat(hit).isTrue();
            assertThat(second).table("users").hasRowCount(10);
        }
        // end::cache-by-hand[]
    }
}
