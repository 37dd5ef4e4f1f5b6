package dev.stateful.internal.engine;

import java.nio.charset.StandardCharsets;

/**
 * Hold the outcome of a command run inside a container.
 *
 * @param exitCode the command's exit code
 * @param stdout what it wrote to standard output (empty when streamed elsewhere)
 * @param stderr what it wrote to standard error
 */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
    /**
     * Return standard output as UTF-8 text.
     *
     * @return the text
     */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /**
     * Return standard error as UTF-8 text.
     *
     * @return the text
     */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /**
     * Return the last lines of standard error.
     *
     * @param lines how many lines at most
     * @return the tail
     */
    public String stderrTail(int lines) {
        return Tails.lastLines(stderrText(), lines);
    }

    /**
     * Tell whether the command exited with 0.
     *
     * @return {@code true} on success
     */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Return a copy of this result with the given standard output.
     *
     * @param output the bytes
     * @return the copy
     */
    public ExecResult withStdout(byte[] output) {
        return new ExecResult(exitCode, output, stderr);
    }
}
