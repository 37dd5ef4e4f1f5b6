package dev.stateful.dump;

import dev.stateful.error.DumpException;
import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.pg.DumpFileMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpSourceTest {
    @TempDir
    Path dir;

    @Test
    void aClasspathResourceResolvesToItsFile() throws IOException {
        Path path = DumpSource.of("classpath:stateful-test/dumps/tiny.sql").resolve();

        assertThat(Files.readString(path)).contains("CREATE TABLE tiny");
        assertThat(DumpSource.of("classpath:/stateful-test/dumps/tiny.sql").resolve()).isEqualTo(path);
        assertThat(DumpSource.of("classpath:stateful-test/dumps/tiny.sql").isClasspath()).isTrue();
    }

    @Test
    void aMissingResourceSaysWhereToPutIt() {
        assertThatThrownBy(() -> DumpSource.of("classpath:dumps/orders.dump").resolve())
                .isInstanceOf(DumpException.class)
                .hasMessage("Dump 'classpath:dumps/orders.dump' does not exist: there is no resource 'dumps/orders.dump' "
                        + "on the classpath. " + DumpFileMessages.EXPECTED + " Fix: put the dump at "
                        + "src/test/resources/dumps/orders.dump (or src/main/resources/dumps/orders.dump), or use "
                        + "'file:...' for a dump outside the classpath.");
    }

    @Test
    void filesResolveFromFileUrisFilePrefixesAndPlainPaths() throws IOException {
        Path file = Files.writeString(dir.resolve("a.sql"), "SELECT 1;");

        assertThat(DumpSource.of("file:" + file).resolve()).isEqualTo(file);
        assertThat(DumpSource.of(file.toUri().toString()).resolve()).isEqualTo(file);
        assertThat(DumpSource.of(file.toString()).resolve()).isEqualTo(file);
        assertThat(DumpSource.of(file).spec()).isEqualTo(file.toString());
        assertThat(DumpSource.of("pom.xml").resolve()).isEqualTo(Path.of("pom.xml"));
        assertThat(DumpSource.of("file:pom.xml").resolve()).isEqualTo(Path.of("pom.xml"));
    }

    @Test
    void aMissingFileNamesTheAbsolutePathAndTheWorkingDirectory() {
        assertThatThrownBy(() -> DumpSource.of("src/test/dumps/none.dump").resolve())
                .isInstanceOf(DumpException.class)
                .hasMessageStartingWith("Dump 'src/test/dumps/none.dump' does not exist (looked at "
                        + Path.of("src/test/dumps/none.dump").toAbsolutePath() + ").")
                .hasMessageContaining("a relative path is resolved against the working directory "
                        + Path.of("").toAbsolutePath());
    }

    @Test
    void blankLocationsAreInvalid() {
        assertThatThrownBy(() -> DumpSource.of(" ")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("dump location ' ' is invalid; expected 'classpath:<resource>'");
        assertThatThrownBy(() -> DumpSource.of("classpath:")).isInstanceOf(InvalidArgumentException.class);
        assertThat(DumpSource.of(" x.dump ")).isEqualTo(DumpSource.of("x.dump")).hasToString("x.dump");
    }
}
