package dev.stateful.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file volume's reset and a stack restore need nothing in the service's image: the image here is
 * {@code redis:7-bookworm} with {@code find} deleted, built locally.
 */
@Tag("docker")
class NoFindVolumeResetTest {
    private static final Path COMPOSE = Path.of("src/test/resources/stack-no-find/docker-compose.yml");
    private static final String IMAGE = "stateful-test/no-find:i23";

    @BeforeAll
    static void buildAnImageWithoutFind(@TempDir Path context) throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM redis:7-bookworm\nRUN rm /usr/bin/find\n");
        docker("build", "-q", "--label", "dev.stateful.test=NoFindVolumeResetTest", "-t", IMAGE, context.toString());
    }

    @AfterAll
    static void removeTheImage() throws Exception {
        docker("rmi", IMAGE);
    }

    @Test
    void theVolumeIsResetAndRestoredThoughTheImageHasNoFind(@TempDir Path backups) {
        try (StatefulStack stack = StatefulStack.fromCompose(COMPOSE).nameHint("NoFind").start()) {
            StackService files = stack.service("files");
            assertThat(files.exec("find", "/srv/uploads").exitCode()).as("the image has no find").isNotZero();
            assertThat(files.exec("sh", "-c", "mkdir /srv/uploads/img && echo one > /srv/uploads/img/1.txt").exitCode()).isZero();
            stack.takeBaseline();
            StackFingerprint baseline = stack.fingerprint();
            assertThat(strings(baseline.services().get("files"))).containsKey("uploads:/img/1.txt");

            files.exec("sh", "-c", "rm /srv/uploads/img/1.txt && echo two > /srv/uploads/2.txt");
            assertThat(baseline.diff(stack.fingerprint())).hasSize(2);
            stack.resetToBaseline();
            assertThat(baseline.diff(stack.fingerprint())).isEmpty();

            Path backup = stack.backup(backups.resolve("b"));
            files.exec("sh", "-c", "echo three > /srv/uploads/3.txt");
            stack.restoreBackup(backup);
            assertThat(baseline.diff(stack.fingerprint())).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object fingerprint) {
        return (Map<String, String>) fingerprint;
    }

    private static void docker(String... args) throws Exception {
        String[] argv = new String[args.length + 1];
        argv[0] = "docker";
        System.arraycopy(args, 0, argv, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("DOCKER_BUILDKIT", "0");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed:\n" + output);
        }
    }
}
