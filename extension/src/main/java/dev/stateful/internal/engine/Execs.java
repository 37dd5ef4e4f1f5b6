package dev.stateful.internal.engine;

import static dev.stateful.internal.engine.EngineMessages.shortId;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.stateful.error.CommandTimeoutException;
import dev.stateful.error.EngineException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run commands inside running containers with the command deadline: each command runs under a
 * wrapper that reports its pid, so that a command past its deadline is stopped inside the
 * container (SIGTERM, then SIGKILL after a grace period).
 */
final class Execs {
    private static final Logger LOG = LoggerFactory.getLogger(Execs.class);
    /** How long a stopped command gets between SIGTERM and SIGKILL. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);
    /**
     * Runs the command after reporting its pid on the first line of stderr, so that a command
     * past its deadline can be signalled inside the container. A constant script: the command
     * itself goes in as positional arguments, never into the script text.
     */
    private static final List<String> PID_WRAPPER = List.of("sh", "-c", "echo \"$$\" >&2; exec \"$@\"", "stateful-exec");

    private final EngineClients engine;
    private final Containers containers;

    Execs(EngineClients engine, Containers containers) {
        this.engine = engine;
        this.containers = containers;
    }

    ExecResult exec(String containerId, String user, List<String> argv, OutputStream stdout) {
        ExecOutput output = new ExecOutput(stdout);
        List<String> wrapped = new ArrayList<>(PID_WRAPPER);
        wrapped.addAll(argv);
        String what = "exec " + argv.get(0) + " in " + shortId(containerId);
        long started = System.nanoTime();
        String execId = engine.call(what, () -> engine.calls.execCreateCmd(containerId)
                .withCmd(wrapped.toArray(String[]::new))
                .withUser(user)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec().getId());
        boolean finished;
        Duration deadline = engine.commandTimeout;
        try (ResultCallback.Adapter<Frame> callback = engine.client.execStartCmd(execId).exec(output)) {
            finished = callback.awaitCompletion(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                stopCommand(containerId, output.pid());
            }
        } catch (IOException e) {
            throw new EngineException("cannot close the output of " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for " + what, e);
        }
        if (!finished) {
            Duration ran = Duration.ofNanos(System.nanoTime() - started);
            throw new CommandTimeoutException(EngineMessages.commandTimedOut(argv, containerId, deadline, ran,
                    containers.logTail(containerId, 20)));
        }
        if (output.writeFailure() != null) {
            throw new UncheckedIOException("cannot write the output of " + argv.get(0), output.writeFailure());
        }
        Long exit = engine.call("inspect " + what, () -> engine.calls.inspectExecCmd(execId).exec().getExitCodeLong());
        return new ExecResult(exit == null ? -1 : exit.intValue(), new byte[0], output.stderr());
    }

    /** SIGTERM the command inside its container, then SIGKILL it when it is still there after a grace period. */
    private void stopCommand(String containerId, Optional<String> pid) {
        if (pid.isEmpty()) {
            LOG.warn("cannot stop a command in {}: it did not report its pid", shortId(containerId));
            return;
        }
        for (String signal : List.of("-TERM", "-KILL")) {
            try {
                String killId = engine.bounded("signal a command", () -> engine.calls.execCreateCmd(containerId)
                        .withUser("root").withCmd("kill", signal, pid.get()).exec().getId());
                try (ResultCallback.Adapter<Frame> done = engine.client.execStartCmd(killId)
                        .exec(new ResultCallback.Adapter<>())) {
                    done.awaitCompletion(10, TimeUnit.SECONDS);
                }
                if (signal.equals("-TERM") && !awaitGone(containerId, pid.get())) {
                    continue;
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot send {} to pid {} in {}: {}", signal, pid.get(), shortId(containerId), e.toString());
                return;
            }
        }
    }

    private boolean awaitGone(String containerId, String pid) throws InterruptedException {
        long deadline = System.nanoTime() + KILL_GRACE.toNanos();
        while (System.nanoTime() < deadline) {
            String checkId = engine.bounded("check a command", () -> engine.calls.execCreateCmd(containerId)
                    .withUser("root").withCmd("kill", "-0", pid).exec().getId());
            try (ResultCallback.Adapter<Frame> done = engine.client.execStartCmd(checkId)
                    .exec(new ResultCallback.Adapter<>())) {
                done.awaitCompletion(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                return false;
            }
            Long code = engine.bounded("check a command", () -> engine.calls.inspectExecCmd(checkId).exec().getExitCodeLong());
            if (code != null && code != 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
