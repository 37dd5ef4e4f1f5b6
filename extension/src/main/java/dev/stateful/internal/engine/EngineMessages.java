package dev.stateful.internal.engine;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Format the engine's error messages: what failed, the value, and how to fix it. */
final class EngineMessages {
    private static final Pattern DAEMON_JSON = Pattern.compile("(?s)Status \\d+: \\{\"message\":\"(.*)\"\\}");

    private EngineMessages() {
    }

    static String unavailable(String dockerHost, Throwable cause) {
        String where = dockerHost == null || dockerHost.isBlank()
                ? "DOCKER_HOST is not set, so the local socket was tried"
                : "DOCKER_HOST=" + dockerHost;
        return "No Docker engine is reachable (" + where + "): " + rootMessage(cause) + ". "
                + "Stateful runs Postgres in containers and needs a running Docker engine. "
                + "Fix: start Docker (for example 'sudo systemctl start docker'), or set DOCKER_HOST to a "
                + "reachable engine (for example DOCKER_HOST=tcp://build-host:2376); on a machine without one, "
                + "skip the container tests with the JUnit tag 'docker' (mvn test -DexcludedGroups=docker).";
    }

    static String dockerHostIgnored(String dockerHost, URI usedInstead) {
        return "No Docker engine is reachable at DOCKER_HOST=" + dockerHost + "; Testcontainers fell back to the "
                + "engine at " + usedInstead + ", which Stateful does not use in its place, because named volumes "
                + "and their data belong to one engine. "
                + "Fix: start the engine DOCKER_HOST names (for example 'sudo systemctl start docker' on its host), "
                + "set DOCKER_HOST to a reachable engine, or unset DOCKER_HOST to use " + usedInstead + ".";
    }

    static String imageMissing(String reference, String reason) {
        return "image '" + reference + "' is not available locally and could not be pulled (" + daemonMessage(reason)
                + "); "
                + "expected a Postgres image such as postgres:17. "
                + "Fix: pull or build it first ('docker pull " + reference + "'), or choose a local image "
                + "with @WithVolume(image = ...), the stateful.image configuration parameter, or STATEFUL_IMAGE.";
    }

    /**
     * Make a Docker error readable: {@code Status 500: {"message":"..."}} becomes the message.
     *
     * @param text an exception message, possibly with the daemon's JSON body
     * @return the daemon's message, or the text stripped
     */
    static String daemonMessage(String text) {
        if (text == null || text.isBlank()) {
            return "no reason given";
        }
        Matcher m = DAEMON_JSON.matcher(text.strip());
        if (!m.matches()) {
            return text.strip();
        }
        return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = t.getMessage();
        if (root != t && root.getMessage() != null) {
            message = message + " (" + root.getMessage() + ")";
        }
        return message == null ? t.getClass().getSimpleName() : message;
    }

    /**
     * Describe a command stopped at its deadline: the command, the deadline, how long it ran,
     * the fix, and the container's log tail.
     */
    static String commandTimedOut(java.util.List<String> argv, String containerId, java.time.Duration deadline,
                                  java.time.Duration ran, String logTail) {
        String command = String.join(" ", argv);
        if (command.length() > 200) {
            command = command.substring(0, 200) + "…";
        }
        return "command '" + command + "' in container " + shortId(containerId) + " did not finish within "
                + "its deadline of " + deadline.toSeconds() + " s; it ran " + ran.toSeconds() + " s and was stopped "
                + "inside the container. Fix: raise stateful.command-timeout / STATEFUL_COMMAND_TIMEOUT (whole seconds) "
                + "or the builder's commandTimeout(...) when the work is this long, or look for what it waits on "
                + "(a lock, a prompt). Last log lines of the container:\n" + logTail;
    }

    /** Describe an engine call that did not answer within its deadline, and the fix. */
    static String engineTimedOut(String what, java.time.Duration deadline) {
        return "cannot " + what + ": the Docker engine did not answer within " + deadline.toSeconds()
                + " s. Fix: check that the engine is running and reachable (DOCKER_HOST), or raise "
                + "stateful.engine-timeout / STATEFUL_ENGINE_TIMEOUT when it is only slow.";
    }

    /** The short form of a container, exec or network id, as {@code docker ps} shows it. */
    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
