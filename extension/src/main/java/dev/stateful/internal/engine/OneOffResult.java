package dev.stateful.internal.engine;

/**
 * Hold the outcome of a one-off container run to completion.
 *
 * @param exitCode its exit code, {@code -1} when it was killed at its deadline
 * @param timedOut whether it ran past its deadline
 * @param outputTail the last lines of its output, stdout and stderr in order
 */
public record OneOffResult(int exitCode, boolean timedOut, String outputTail) {
}
