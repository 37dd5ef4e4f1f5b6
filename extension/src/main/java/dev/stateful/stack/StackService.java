package dev.stateful.stack;

/**
 * One service of a {@link StatefulStack}: its container, its ports on 127.0.0.1, and what an
 * operator does to it. Every operation waits until the service is ready again (healthy when it
 * has a healthcheck, running otherwise; a Postgres service accepts queries, a Redis one answers PING).
 */
public interface StackService {
    /**
     * The service's name in the compose file.
     *
     * @return the name
     */
    String name();

    /**
     * The id of the service's current container (another one after {@link #recreate()} or a stack's up).
     *
     * @return the container id
     */
    String containerId();

    /**
     * The host port a container port is published on, on 127.0.0.1.
     *
     * @param containerPort a port the compose file publishes (a Postgres service's 5432, a Redis service's 6379
     *     always)
     * @return the host port
     */
    int port(int containerPort);

    /**
     * Stop the container gracefully and start it again.
     */
    void restart();

    /**
     * Stop the container gracefully; it and its volumes stay.
     */
    void stop();

    /**
     * Start the stopped container and wait until the service is ready.
     */
    void start();

    /**
     * Crash the service with SIGKILL, then start the same container again.
     */
    void kill();

    /**
     * Remove the container and create a new one from the same image on the same volumes.
     */
    void recreate();

    /**
     * Remove the container and create a new one from another image on the same volumes: the upgrade case.
     *
     * @param image the image to run
     */
    void recreate(String image);

    /**
     * Run a command in the running container.
     *
     * @param command the command, one argument per element (never a shell string)
     * @return exit code and output
     */
    ExecResult exec(String... command);

    /**
     * The last lines of the container's log.
     *
     * @param lines how many lines at most
     * @return stdout and stderr interleaved
     */
    String logTail(int lines);
}
