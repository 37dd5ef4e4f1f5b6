package dev.stateful.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run every benchmark scenario with tiny sizes: the benchmark keeps working, numbers aside. */
@Tag("docker")
class BenchmarksSmokeTest {
    @Test
    void everyScenarioProducesItsRows(@TempDir Path out) throws Exception {
        Benchmarks.main(new String[] {"--reps", "2", "--reset-mb", "1", "--volume-mb", "15", "--pgbench-scale", "1", "--state-scale", "0.02", "--out", out.toString()});

        String csv = Files.readString(out.resolve("results.csv"));
        assertThat(csv.lines().skip(1)).hasSize(15).allSatisfy(line -> assertThat(line).matches("\"[^\"]+\",\"[^\"]+\",\\d+,[0-9.]+,[0-9.]+,[0-9.]+,.*"));
        assertThat(csv).contains("Stateful restore (pooled clone, rename)", "Testcontainers PostgreSQLContainer (reference)",
                "Stateful snapshotVolume (stop, copy, start)");
        assertThat(Files.readString(out.resolve("results.md"))).startsWith("Machine: ").contains("| scenario | variant |");
    }
}
