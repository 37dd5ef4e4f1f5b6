package dev.stateful.cache;

import dev.stateful.CacheMode;
import dev.stateful.error.InvalidArgumentException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheKeyTest {
    @Test
    void orderOfPartsDoesNotMatterButEveryValueDoes() {
        String a = CacheKey.builder().part("image", "sha256:1").part("target", "3").build();
        String b = CacheKey.builder().part("target", "3").part("image", "sha256:1").build();
        String c = CacheKey.builder().part("image", "sha256:1").part("target", "4").build();
        assertThat(a).hasSize(64).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void fileContentIsPartOfTheKey(@TempDir Path dir) throws Exception {
        Path dump = Files.writeString(dir.resolve("x.sql"), "CREATE TABLE t (id int);");
        String before = CacheKey.builder().file("dump", dump).build();
        Files.writeString(dump, "CREATE TABLE t (id bigint);");
        assertThat(CacheKey.builder().file("dump", dump).build()).isNotEqualTo(before);
    }

    @Test
    void aDirectoryIsHashedFileByFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__a.sql"), "a");
        String one = CacheKey.builder().file("migrations", dir).build();
        Files.writeString(dir.resolve("V2__b.sql"), "b");
        assertThat(CacheKey.builder().file("migrations", dir).build()).isNotEqualTo(one);
    }

    @Test
    void aPartGivenTwiceIsAnError() {
        assertThatThrownBy(() -> CacheKey.builder().part("image", "a").part("image", "b"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("cache key part 'image' was given twice; expected each part once. Fix: give the parts distinct names.");
    }

    @Test
    void modesParseFromSettings() {
        assertThat(CacheMode.parse("stateful.cache", "ReadOnly")).isEqualTo(CacheMode.READONLY);
        assertThatThrownBy(() -> CacheMode.parse("stateful.cache", "sometimes"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("stateful.cache 'sometimes' is invalid; expected off, readonly or readwrite. "
                        + "Fix: use readwrite (the default) or off.");
    }
}
