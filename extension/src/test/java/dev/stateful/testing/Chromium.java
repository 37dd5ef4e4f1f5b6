package dev.stateful.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium for tests that check what a user sees of a report: a page's DOM after its
 * layout at a given window width, measurements taken by a script run in a copy of the page (the
 * reports themselves hold no script), and screenshots. Fails, never skips, without Chromium.
 */
public final class Chromium {
    private final Path work;

    private Chromium(Path work) {
        this.work = work;
    }

    /**
     * Use a directory for profiles, copies and output.
     *
     * @param work a directory of the test's own
     * @return the browser
     */
    public static Chromium in(Path work) {
        return new Chromium(work);
    }

    /**
     * Open a copy of a page at a window width, run a script that returns {@code key=value} lines,
     * and return those.
     *
     * @param page the page
     * @param width the window's width in CSS pixels
     * @param script JavaScript that evaluates to a string of {@code key=value} lines
     * @return the values by key
     * @throws Exception when Chromium fails
     */
    public Map<String, String> measure(Path page, int width, String script) throws Exception {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        String probe = "<script>window.addEventListener('load',function(){var out=(function(){" + script
                + "})();var pre=document.createElement('pre');pre.id='measurements';pre.style.whiteSpace='pre-wrap';"
                + "pre.textContent=out;document.body.appendChild(pre);});</script>";
        Path copy = page.resolveSibling("measured-" + page.getFileName());
        Files.writeString(copy, html.replace("</body>", probe + "</body>"), StandardCharsets.UTF_8);
        String dom = dumpDom(copy, width);
        Files.delete(copy);
        int start = dom.indexOf("<pre id=\"measurements\"");
        if (start < 0) {
            throw new AssertionError("the measuring script wrote nothing; the DOM was:\n" + dom);
        }
        String text = dom.substring(dom.indexOf('>', start) + 1, dom.indexOf("</pre>", start));
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /**
     * Return the DOM of a page after its layout at a window width.
     *
     * @param page the page
     * @param width the window's width in CSS pixels
     * @return the serialised DOM
     * @throws Exception when Chromium fails
     */
    public String dumpDom(Path page, int width) throws Exception {
        Path out = Files.createTempFile(Files.createDirectories(work), "dom", ".html");
        run(out, "--window-size=" + width + ",900", "--dump-dom", page.toUri().toString());
        return Files.readString(out);
    }

    /**
     * Take a screenshot of the top of a page.
     *
     * @param page the page
     * @param width the window's width
     * @param height the window's height
     * @param png where to write it
     * @return {@code png}
     * @throws Exception when Chromium fails or wrote nothing
     */
    public Path screenshot(Path page, int width, int height, Path png) throws Exception {
        return screenshot(page, width, height, 1.0, png);
    }

    /**
     * Take a screenshot of the top of a page laid out at a window size, scaled (0.75 makes a
     * 1,200 pixel wide layout a 900 pixel wide image).
     *
     * @param page the page
     * @param width the window's width in CSS pixels
     * @param height the window's height in CSS pixels
     * @param scale the device scale factor
     * @param png where to write it
     * @return {@code png}
     * @throws Exception when Chromium fails or wrote nothing
     */
    public Path screenshot(Path page, int width, int height, double scale, Path png) throws Exception {
        run(Files.createTempFile(Files.createDirectories(work), "shot", ".log"), "--screenshot=" + png.toAbsolutePath(),
                "--hide-scrollbars", "--force-device-scale-factor=" + scale, "--window-size=" + width + "," + height,
                page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
        return png;
    }

    private void run(Path stdout, String... args) throws Exception {
        Path profile = Files.createTempDirectory(Files.createDirectories(work), "profile");
        List<String> command = new ArrayList<>(List.of(find(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(work, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
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
        throw new AssertionError("Chromium is not installed, and this test opens an HTML report in it. Fix: install "
                + "it with 'apt-get update && apt-get install -y chromium' (CI's .ci/run does this).");
    }
}
