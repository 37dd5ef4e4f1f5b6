package dev.stateful.stack;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.internal.stack.ComposeService;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The part every kind of service shares: its definition, exec and logs through the engine, up and down. */
abstract class ServiceRuntime implements StackService {
    final StackContext stack;
    final ComposeService definition;

    ServiceRuntime(StackContext stack, ComposeService definition) {
        this.stack = stack;
        this.definition = definition;
    }

    @Override
    public String name() {
        return definition.name();
    }

    /** Create the container(s) on the stack's volumes, start it, wait until ready. */
    abstract void up();

    /** Remove the container; the volumes stay. Idempotent. */
    abstract void down();

    /** Whether a container exists. */
    abstract boolean isUp();

    /** The state of the service's store. */
    abstract Object fingerprint();

    /** Keep a copy of the service's store, replacing an earlier one. */
    abstract void takeBaseline();

    /** Put the service's store back to the copy {@link #takeBaseline()} kept. */
    abstract void resetToBaseline();

    /** Forget the copy, freeing what it holds. */
    void dropBaseline() {
    }

    @Override
    public void restart() {
        stop();
        start();
    }

    @Override
    public void recreate() {
        recreate(definition.image());
    }

    @Override
    public ExecResult exec(String... command) {
        if (command == null || command.length == 0) {
            throw new InvalidArgumentException("exec() on service '" + name() + "' got no command; expected the "
                    + "program and its arguments, one per element. Fix: pass for example exec(\"ls\", \"-l\", \"/data\").");
        }
        var result = stack.engine.exec(containerId(), null, List.of(command));
        return new ExecResult(result.exitCode(), new String(result.stdout(), StandardCharsets.UTF_8),
                new String(result.stderr(), StandardCharsets.UTF_8));
    }

    @Override
    public String logTail(int lines) {
        return stack.engine.logTail(containerId(), lines);
    }

    @Override
    public String toString() {
        return "service '" + name() + "' of stack " + stack.project;
    }
}
