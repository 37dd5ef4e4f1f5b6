package dev.stateful.internal.engine;

/**
 * Hold the state of a container.
 *
 * @param exists whether the engine knows the container
 * @param running whether its main process runs
 * @param exitCode the exit code of its last run
 * @param oomKilled whether the kernel killed it for lack of memory
 * @param state the engine's word for it ({@code running}, {@code exited}, {@code created}, ...;
 *              {@code removed} when the engine does not know it)
 * @param finishedAt when its last run ended, as the engine says it (RFC 3339), or empty
 */
public record ContainerStatus(boolean exists, boolean running, int exitCode, boolean oomKilled, String state,
                              String finishedAt) {
}
