package dev.stateful.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drill history file and the recovery time limit, without Docker: lines as written, read back; bad input named. */
class DrillHistoryTest {
    @TempDir
    Path dir;

    private static DrillReport report(long restoreMillis, boolean passed) {
        DrillReport report = new DrillReport();
        report.step(new DrillReport.Step("backup", Duration.ofMillis(5), true, ""));
        report.step(new DrillReport.Step("restore", Duration.ofMillis(restoreMillis), passed, "into \"v\"\n"));
        report.step(new DrillReport.Step("checks", Duration.ofMillis(30), true, ""));
        if (!passed) {
            report.fail("step 'restore' failed: \"quoted\"\tand tabbed");
        }
        return report;
    }

    @Test
    void eachRunIsOneLineReadBackWithItsRecoveryTimeAndSteps() throws Exception {
        Path file = dir.resolve("drills").resolve("history.jsonl");
        assertThat(DrillHistory.read(file).runs()).as("a missing file is an empty history").isEmpty();

        DrillHistory.append(file, report(1200, true), Duration.ofMinutes(10));
        DrillHistory.append(file, report(900, false), null);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("{\"startedAt\": \"") && l.endsWith("]}"));
        List<DrillHistory.Run> runs = DrillHistory.read(file).runs();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).passed()).isTrue();
        assertThat(runs.get(0).recoveryTime()).isEqualTo(Duration.ofMillis(1230));
        assertThat(runs.get(0).maxRecoveryTime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(runs.get(0).steps()).containsExactly(java.util.Map.entry("backup", Duration.ofMillis(5)),
                java.util.Map.entry("restore", Duration.ofMillis(1200)), java.util.Map.entry("checks", Duration.ofMillis(30)));
        assertThat(runs.get(1).passed()).isFalse();
        assertThat(runs.get(1).maxRecoveryTime()).isNull();
        assertThat(runs.get(1).failure()).isEqualTo("step 'restore' failed: \"quoted\"\tand tabbed");
    }

    @Test
    void aLineTheDrillDidNotWriteIsNamedWithItsNumberBeforeTheDrillStarts() throws Exception {
        Path file = dir.resolve("history.jsonl");
        DrillHistory.append(file, report(100, true), null);
        Files.writeString(file, "{\"startedAt\": \"yesterday\", \"passed\": true, \"recoveryMillis\": 1, \"steps\": []}\n",
                java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> RestoreDrill.ofBackup(dir.resolve("missing.dump")).history(file))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("history file '" + file.toAbsolutePath() + "', line 2 is not a recorded drill run (startedAt "
                        + "is not an instant such as 2026-12-07T18:00:00Z): '{\"startedAt\": \"yesterday\", \"passed\": "
                        + "true, \"recoveryMillis\": 1, \"steps\": []}'; expected one JSON object per line as the drill "
                        + "writes it, with startedAt, passed, recoveryMillis and steps. Fix: remove or repair that line, "
                        + "or start a new history file.");
        assertThatThrownBy(() -> DrillHistory.read(dir)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("history file '" + dir.toAbsolutePath() + "' is a directory; expected a file with one JSON "
                        + "line per drill run. Fix: name a file, such as drills/history.jsonl.");
    }

    @Test
    void theRecoveryTimeLimitMustBePositiveAndItsFailureSaysByHowMuch() {
        assertThatThrownBy(() -> RestoreDrill.ofBackup(dir).maxRecoveryTime(Duration.ZERO))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("RestoreDrill.maxRecoveryTime: 'PT0S' is invalid; expected a positive duration. Fix: pass "
                        + "the recovery time objective, such as Duration.ofMinutes(15).");
        assertThat(RestoreDrill.rtoExceeded(Duration.ofMillis(41_250), Duration.ofSeconds(30))).startsWith(
                "recovery time 41250 ms (41.3 s) exceeded the maximum recovery time (--max-rto, maxRecoveryTime) "
                        + "of 30000 ms (30.0 s) by 11250 ms (11.3 s). Fix: ");
        assertThat(RestoreDrill.rtoExceeded(Duration.ofMillis(1500), Duration.ofMillis(1)))
                .startsWith("recovery time 1500 ms exceeded the maximum recovery time (--max-rto, maxRecoveryTime) of "
                        + "1 ms by 1499 ms. Fix: ");
    }
}
