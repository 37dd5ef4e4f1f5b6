package dev.stateful.internal.engine;

/**
 * Hold the state of a container.
 *
 * @param exists whether the engine knows the container
 * @param running whether its main process runs
 * @param exitCode the exit code of its last run
 * @param oomKilled whether the kernel killed it for lack of memory
 */
public record ContainerStatus(boolean exists, boolean running, int exitCode, boolean oomKilled) {
}
