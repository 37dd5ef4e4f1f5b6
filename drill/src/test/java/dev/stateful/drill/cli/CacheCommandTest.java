package dev.stateful.drill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.cache.CacheKey;
import dev.stateful.cache.StateCache;
import dev.stateful.internal.engine.DockerEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cache} subcommands against a real engine and a real directory. */
@Tag("docker")
class CacheCommandTest {
    private final String key = CacheKey.builder().part("test-run", UUID.randomUUID().toString()).build();
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DrillMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @AfterEach
    void removeTheEntries() {
        DockerEngine engine = DockerEngine.get();
        engine.volumesLabelled(StateCache.KEY_LABEL, key).forEach((marker, labels) -> {
            engine.removeVolume(marker);
            engine.removeVolume(labels.get(StateCache.DATA_LABEL));
        });
    }

    @Test
    void listExportImportAndPruneAnEntry() throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheCommandTest").build()) {
            new StateCache(CacheMode.READWRITE, 10).start(db, key, () -> {
                try (Connection c = db.connection(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE kept AS SELECT g AS id FROM generate_series(1, 321) g");
                }
            });
        }
        Run list = cli("cache", "list", "--dir", dir.toString());
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("engine entries:").contains(key);

        Run export = cli("cache", "export", key, "--dir", dir.toString()); // the engine is shared: name the key
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported " + key + "  good  postgres ").contains("1 exported");
        assertThat(dir.resolve(key + ".stateful-cache")).isNotEmptyFile();

        removeTheEntries();
        Run imported = cli("cache", "import", "--dir", dir.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported " + key).contains("1 imported");
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheCommandTest").build()) {
            assertThat(new StateCache(CacheMode.READONLY, 10).start(db, key, () -> {
                throw new AssertionError("the imported entry is a hit");
            })).isTrue();
            try (Connection c = db.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM kept")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(321);
            }
        }

        Path junk = Files.writeString(dir.resolve("0".repeat(64) + ".stateful-cache"), "not an archive");
        Path users = Files.writeString(dir.resolve("notes.txt"), "the user's");
        Run bad = cli("cache", "list", "--dir", dir.toString());
        assertThat(bad.exit()).as("a bad archive fails the listing").isEqualTo(1);
        assertThat(bad.out()).contains("0".repeat(64) + "  BAD: it is not a Stateful cache archive");

        Run prune = cli("cache", "prune", "--dir", dir.toString());
        assertThat(prune.exit()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("1 removed");
        assertThat(junk).doesNotExist();
        assertThat(users).as("a file Stateful did not write stays").exists();
        assertThat(dir.resolve(key + ".stateful-cache")).as("a good archive within --keep stays").exists();
        assertThat(cli("cache", "prune", "--keep", "0", "--dir", dir.toString()).out()).contains("1 removed");
        assertThat(dir.resolve(key + ".stateful-cache")).doesNotExist();
    }

    @Test
    void badArgumentsExitWith2AndSayTheFix() {
        Run unknown = cli("cache", "shrink", "--dir", dir.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("cache command 'shrink' does not exist; expected list, export, import or prune.");
        Run keep = cli("cache", "prune", "--keep", "many", "--dir", dir.toString());
        assertThat(keep.exit()).isEqualTo(2);
        assertThat(keep.err()).contains("--keep 'many' is invalid; expected a whole number.");
        Run missing = cli("cache", "export", "f".repeat(64), "--dir", dir.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("has no entry in the Docker engine");
        assertThat(cli("cache", "--help").out()).startsWith("Cache usage: java -jar stateful-drill.jar cache");
    }
}
