package dev.stateful.internal;

import dev.stateful.error.ServerNotRunningException;
import dev.stateful.internal.engine.ContainerStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The message of {@link ServerNotRunningException}: which call, which volume, the container's
 * state and exit code, when it stopped, its last log lines, and what to do. Not API.
 */
final class ServerNotRunning {
    static final int LOG_LINES = 20;

    private ServerNotRunning() {
    }

    /**
     * Whether a failure is one of the connection: refused, broken, or ended by a server shutdown
     * (SQLSTATE class 08, 57P01 to 57P03), anywhere in its causes.
     */
    static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                String state = e.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    static ServerNotRunningException exception(String call, String volume, String containerId, ContainerStatus status,
                                               String logs, Throwable cause) {
        String container = containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
        String state = status.exists()
                ? "state " + status.state() + ", exit code " + status.exitCode()
                        + (status.oomKilled() ? ", killed for lack of memory" : "")
                : "removed: the Docker engine has no container " + container + " any more";
        return new ServerNotRunningException(call + " failed on volume '" + volume + "': the Postgres container "
                + container + " is not running (" + state + stopped(status.finishedAt()) + "), so the connection was "
                + "refused or broken (" + firstLine(cause.getMessage()) + "). The test stopped it, the Docker engine "
                + "restarted (containers stop with it), or something outside the test stopped it. Last log lines of "
                + "the container:\n" + logs.strip() + "\nFix: call start() on the handle to run the server again on "
                + "the same volume (under @WithVolume with reset = BEFORE_EACH the next test does it); if the engine "
                + "restarted, check why in its log (journalctl -u docker).", cause);
    }

    private static String stopped(String finishedAt) {
        if (finishedAt == null || finishedAt.isEmpty()) {
            return "";
        }
        try {
            long seconds = Duration.between(Instant.parse(finishedAt), Instant.now()).toSeconds();
            return ", stopped at " + finishedAt + ", " + Math.max(0, seconds) + " s ago";
        } catch (DateTimeParseException e) {
            return ", stopped at " + finishedAt;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
