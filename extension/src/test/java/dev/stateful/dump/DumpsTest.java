package dev.stateful.dump;

import dev.stateful.StatefulPostgres;
import dev.stateful.error.DumpException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.ExecResult;
import dev.stateful.internal.engine.StreamingTar;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Dumps written and restored inside a real container: one container for the class, a fresh database per test. */
@StartedHandles
class DumpsTest {
    private static final String FINGERPRINT = "SELECT count(*) || ':' || sum(length(name)) || ':' || sum(length(big)) "
            + "|| ':' || count(doc) || ':' || string_agg(name, ',' ORDER BY id) FILTER (WHERE id <= 3) FROM things";

    @Started(nameHint = "dumps")
    private static StatefulPostgres db;

    @TempDir
    Path dir;

    @BeforeEach
    void freshData() throws SQLException {
        Sql.run(db, "DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public",
                "CREATE TABLE things (id int PRIMARY KEY, name text, doc jsonb, big text)",
                "INSERT INTO things SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'Zoë 山田 #' || i END, "
                        + "CASE WHEN i % 3 = 0 THEN NULL ELSE jsonb_build_object('i', i, 'tags', jsonb_build_array('a', i)) END, "
                        + "CASE WHEN i % 100 = 0 THEN repeat(md5(i::text), 200) END FROM generate_series(1, 2000) i",
                "CREATE INDEX things_name_idx ON things (name)");
    }

    @ParameterizedTest
    @EnumSource(DumpFormat.class)
    void everyFormatRoundTrips(DumpFormat format) throws SQLException, IOException {
        String before = Sql.text(db, FINGERPRINT);
        Path dump = db.dumps().dump(dir.resolve("things." + format.name().toLowerCase()), format);
        Sql.run(db, "DROP TABLE things", "CREATE TABLE added_after_the_dump (id int)");

        db.restoreDump(dump);

        assertThat(DumpFormat.detect(dump).format()).isEqualTo(format);
        assertThat(Sql.text(db, FINGERPRINT)).isEqualTo(before).startsWith("2000:");
        assertThat(Sql.text(db, "SELECT to_regclass('added_after_the_dump') IS NULL AND to_regclass('things_name_idx') IS NOT "
                + "NULL")).isEqualTo("t");
    }

    @Test
    void aCustomDumpStartsWithItsMagicAndReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("sub/dir/db.dump");
        Path first = db.dumps().dump(file);
        assertThat(first).isEqualTo(file.toAbsolutePath());
        Files.writeString(file, "old");

        Path dump = db.dumps().dump(file);

        assertThat(dump).isEqualTo(file.toAbsolutePath());
        assertThat(Arrays.copyOf(Files.readAllBytes(dump), 5)).asString().isEqualTo("PGDMP");
        try (var files = Files.list(dump.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("db.dump");
        }
    }

    @Test
    void gzippedDumpsAreRestoredWhateverTheirName() throws SQLException, IOException {
        String before = Sql.text(db, FINGERPRINT);
        Path plain = db.dumps().dump(dir.resolve("plain.sql"), DumpFormat.PLAIN);
        Path gz = dir.resolve("no-extension");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, out);
        }
        Sql.run(db, "DROP TABLE things");

        db.dumps().restore(gz, RestoreOptions.defaults().withJobs(1).withAnalyze(false));

        assertThat(Sql.text(db, FINGERPRINT)).isEqualTo(before);
    }

    @Test
    void restoresFromAClasspathSource() throws SQLException {
        db.dumps().restore(DumpSource.of("classpath:stateful-test/dumps/tiny.sql"), RestoreOptions.defaults());

        assertThat(Sql.text(db, "SELECT label FROM tiny")).isEqualTo("één");
        assertThat(Sql.text(db, "SELECT to_regclass('things') IS NULL")).isEqualTo("t");
    }

    @Test
    void restoreAnalyzesByDefault() throws SQLException {
        Path dump = db.dumps().dump(dir.resolve("a.dump"));

        db.restoreDump(dump);

        assertThat(Sql.text(db, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'things'")).isEqualTo("2000");
    }

    @Test
    void aMissingOrUnusableDumpIsRefusedBeforeTheDatabaseIsTouched() throws SQLException, IOException {
        Path missing = dir.resolve("missing.dump");
        assertThatThrownBy(() -> db.restoreDump(missing)).isInstanceOf(DumpException.class)
                .hasMessageStartingWith("Dump '" + missing + "' does not exist");
        Path empty = Files.createFile(dir.resolve("empty.dump"));
        assertThatThrownBy(() -> db.restoreDump(empty)).isInstanceOf(DumpException.class)
                .hasMessageStartingWith("Dump '" + empty + "' is empty (0 bytes of data).");
        Path garbage = Files.write(dir.resolve("garbage.dump"), new byte[] {0, 1, 2, 3, (byte) 0xff, 0, 7});
        assertThatThrownBy(() -> db.restoreDump(garbage)).isInstanceOf(DumpException.class)
                .hasMessageContaining("has an unknown format: it starts with bytes 00 01 02 03 ff 00 07");

        Path plain = db.dumps().dump(dir.resolve("plain.sql"), DumpFormat.PLAIN);
        Path gz = dir.resolve("plain.sql.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, out);
        }
        byte[] whole = Files.readAllBytes(gz);
        Path cut = Files.write(dir.resolve("cut.sql.gz"), Arrays.copyOf(whole, whole.length * 4 / 5));
        assertThat(DumpFormat.detect(cut)).hasToString("plain SQL, gzipped");
        assertThatThrownBy(() -> db.restoreDump(cut)).isInstanceOf(DumpException.class)
                .hasMessageStartingWith("Dump '" + cut + "' is gzip data that is truncated or corrupt");

        assertThat(Sql.text(db, "SELECT count(*) FROM things")).isEqualTo("2000");
    }

    @Test
    void aTruncatedDumpFailsAndLeavesAnEmptyDatabase() throws SQLException, IOException {
        byte[] whole = Files.readAllBytes(db.dumps().dump(dir.resolve("whole.dump")));
        Path truncated = Files.write(dir.resolve("truncated.dump"), Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> db.restoreDump(truncated))
                .isInstanceOfSatisfying(DumpException.class, e -> assertThat(e.toolOutput()).contains("pg_restore:"))
                .hasMessageStartingWith("Restoring dump '" + truncated + "' (custom, ")
                .hasMessageContaining("into database 'test' failed: pg_restore exited with 1. The dump is truncated "
                        + "or corrupt (pg_restore: error: ")
                .hasMessageContaining("The database 'test' was dropped and created again empty, so nothing is half "
                        + "restored.\npg_restore output (last lines):\n");
        assertThat(userTables()).isEmpty();
    }

    @Test
    void keepingOwnershipNamesTheMissingRolesBeforeRestoringAnything() throws SQLException {
        Sql.run(db, "CREATE ROLE app_owner", "CREATE ROLE reporting", "ALTER TABLE things OWNER TO app_owner",
                "GRANT SELECT ON things TO reporting");
        Path custom = db.dumps().dump(dir.resolve("owned.dump"));
        Path plain = db.dumps().dump(dir.resolve("owned.sql"), DumpFormat.PLAIN);
        Sql.run(db, "DROP TABLE things", "DROP ROLE app_owner", "DROP ROLE reporting");

        for (Path dump : List.of(custom, plain)) {
            assertThatThrownBy(() -> db.dumps().restore(dump, RestoreOptions.defaults()
                    .withRoles(RestoreOptions.Roles.KEEP)))
                    .isInstanceOfSatisfying(DumpException.class, e -> assertThat(e.missingRoles())
                            .containsExactly("app_owner", "reporting"))
                    .hasMessageContaining("with roles KEEP: the dump needs roles app_owner, reporting, which do not "
                            + "exist on the server. Nothing was restored.")
                    .hasMessageContaining("or use roles CREATE_MISSING");
            assertThat(userTables()).isEmpty();
            assertThat(Sql.text(db, "SELECT count(*) FROM pg_roles WHERE rolname IN ('app_owner', 'reporting')"))
                    .isEqualTo("0");
        }

        db.restoreDump(plain);
        assertThat(Sql.text(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'things'")).isEqualTo("test");
        assertThat(Sql.text(db, "SELECT has_table_privilege('reporting', 'things', 'SELECT')")).isEqualTo("t");
        assertThat(Sql.text(db, "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'app_owner'")).isEqualTo("f");
    }

    @Test
    void aMissingExtensionFailsBeforeAnythingIsRestored() throws SQLException, IOException {
        Path plain = Files.writeString(dir.resolve("postgis.sql"), "CREATE TABLE before_the_extension (id int);\n"
                + "CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;\n");

        assertThatThrownBy(() -> db.restoreDump(plain))
                .isInstanceOfSatisfying(DumpException.class, e -> assertThat(e.missingExtensions())
                        .containsExactly("postgis"))
                .hasMessageContaining("it creates extension postgis, which image " + db.image()
                        + " does not have. Nothing was restored.")
                .hasMessageContaining("Fix: use an image that has it, such as postgis/postgis");
        assertThat(userTables()).isEmpty();
    }

    @Test
    void anExtensionMissingOnTheTargetServerIsNamedForCustomDumps() throws SQLException {
        DockerEngine engine = DockerEngine.get();
        String extensionDir = exec(engine, "pg_config", "--sharedir").strip() + "/extension";
        copyInto(engine, extensionDir, "stateful_fake.control",
                "default_version = '1.0'\nrelocatable = true\ncomment = 'test extension'\n");
        copyInto(engine, extensionDir, "stateful_fake--1.0.sql",
                "CREATE FUNCTION stateful_fake_answer() RETURNS int LANGUAGE sql AS 'SELECT 42';\n");
        try {
            Sql.run(db, "CREATE EXTENSION stateful_fake");
            Path dump = db.dumps().dump(dir.resolve("ext.dump"));
            exec(engine, "rm", extensionDir + "/stateful_fake.control", extensionDir + "/stateful_fake--1.0.sql");

            assertThatThrownBy(() -> db.restoreDump(dump))
                    .isInstanceOfSatisfying(DumpException.class, e -> assertThat(e.missingExtensions())
                            .containsExactly("stateful_fake"))
                    .hasMessageContaining("it creates extension stateful_fake, which image " + db.image()
                            + " does not have. Nothing was restored.");
            assertThat(userTables()).isEmpty();
        } finally {
            engine.exec(db.containerId(), "root", List.of("rm", "-f", extensionDir + "/stateful_fake.control",
                    extensionDir + "/stateful_fake--1.0.sql"));
        }
    }

    @Test
    void aRestoreEndsOtherSessionsOnTheDatabase() throws SQLException, IOException {
        Path dump = db.dumps().dump(dir.resolve("s.dump"));
        try (Connection idle = db.connection()) {
            db.restoreDump(dump);

            assertThat(idle.isValid(2)).isFalse();
        }
        assertThat(Sql.text(db, "SELECT count(*) FROM things")).isEqualTo("2000");
    }

    @Test
    void aDirectoryDumpNeedsANewOrEmptyDirectory() throws IOException {
        Path taken = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(taken.resolve("keep.txt"), "mine");

        assertThatThrownBy(() -> db.dumps().dump(taken, DumpFormat.DIRECTORY)).isInstanceOf(DumpException.class)
                .hasMessageContaining("it exists and is not an empty directory");
        assertThat(taken.resolve("keep.txt")).hasContent("mine");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(db.dumps().dump(empty, DumpFormat.DIRECTORY).resolve("toc.dat")).exists();
    }

    private static void copyInto(DockerEngine engine, String directory, String name, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        AtomicLong written = new AtomicLong();
        try (InputStream tar = StreamingTar.stream(List.of(StreamingTar.Entry.file(
                directory.substring(1) + "/" + name, bytes.length, () -> new ByteArrayInputStream(bytes))), written)) {
            engine.copyToContainer(db.containerId(), tar, "/");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String exec(DockerEngine engine, String... argv) {
        ExecResult result = engine.exec(db.containerId(), "root", List.of(argv));
        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        return result.stdoutText();
    }

    private static List<String> userTables() throws SQLException {
        return Sql.column(db, "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                + "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1");
    }
}
