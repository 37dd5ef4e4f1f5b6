package dev.stateful.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.CacheMode;
import dev.stateful.StatefulSettings;
import dev.stateful.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stateful.cache.dir} is read by the one settings resolver and checked before anything runs. */
class CacheDirectorySettingTest {
    @TempDir
    Path temp;

    @Test
    void theDirectoryComesFromTheEnvironmentAndIsOffByDefault() {
        StatefulSettings none = StatefulSettings.of(name -> Optional.empty(), Map.of());
        assertThat(StateCache.fromSettings(none).directory()).isEmpty();
        StatefulSettings set = StatefulSettings.of(name -> Optional.empty(),
                Map.of("STATEFUL_CACHE_DIR", temp.resolve("ci-cache").toString()));
        assertThat(StateCache.fromSettings(set).directory()).contains(temp.resolve("ci-cache"));
    }

    @Test
    void aFileIsRefusedWithTheSettingAndTheFix() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> new StateCache(CacheMode.READWRITE, 10, file))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("cache directory '" + file + "' is not a directory; expected a directory (created when "
                        + "missing) for exported cache entries. Fix: point stateful.cache.dir / STATEFUL_CACHE_DIR at "
                        + "a directory, or remove the file.");
    }
}
