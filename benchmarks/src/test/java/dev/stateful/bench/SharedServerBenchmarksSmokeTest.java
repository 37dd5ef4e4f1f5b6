package dev.stateful.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run the shared server's copy benchmark with a tiny template: it keeps working, numbers aside. */
@Tag("docker")
class SharedServerBenchmarksSmokeTest {
    @Test
    void everyWayOfMakingAClassDatabaseHasItsRow(@TempDir Path out) throws Exception {
        SharedServerBenchmarks.main(new String[] {"--sizes-mb", "5", "--reps", "1", "--out", out.toString()});

        String csv = Files.readString(out.resolve("shared-server-results.csv"));
        assertThat(csv).contains("FILE_COPY", "WAL_LOG", "copy + baseline (before)", "made ahead (background)",
                "made ahead: take");
    }
}
