package dev.stateful.drill.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium for tests: the DOM and a screenshot of a local page. Fails, never skips, without it. */
final class Chromium {
    private Chromium() {
    }

    static String dumpDom(Path page, Path profile) throws Exception {
        Path out = Files.createTempFile(profile.getParent(), "dom", ".html");
        run(profile, out, "--dump-dom", page.toUri().toString());
        return Files.readString(out);
    }

    static Path screenshot(Path page, Path profile, Path png) throws Exception {
        run(profile, Files.createTempFile(profile.getParent(), "shot", ".log"), "--screenshot=" + png.toAbsolutePath(),
                "--window-size=1000,900", page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
        return png;
    }

    private static void run(Path profile, Path stdout, String... args) throws Exception {
        String binary = find();
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(profile).toAbsolutePath()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not end within 2 minutes: " + Files.readString(stderr));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + process.exitValue() + ": " + Files.readString(stderr));
        }
    }

    private static String find() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("Chromium is not installed, and this test opens the drill's HTML report in it. "
                + "Fix: install it with 'apt-get update && apt-get install -y chromium' (CI's .ci/run does this).");
    }
}
