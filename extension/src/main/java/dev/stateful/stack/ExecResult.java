package dev.stateful.stack;

/**
 * What a command run in a service's container returned.
 *
 * @param exitCode the command's exit code
 * @param stdout its standard output, UTF-8
 * @param stderr its standard error, UTF-8
 */
public record ExecResult(int exitCode, String stdout, String stderr) {
}
