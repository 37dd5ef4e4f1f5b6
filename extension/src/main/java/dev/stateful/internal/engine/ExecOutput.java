package dev.stateful.internal.engine;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Streams an exec's stdout, collects its stderr, and takes the pid wrapper's line off stderr. */
final class ExecOutput extends ResultCallback.Adapter<Frame> {
    private final OutputStream stdout;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream header = new ByteArrayOutputStream();
    private volatile String pid;
    private volatile IOException writeFailure;

    ExecOutput(OutputStream stdout) {
        this.stdout = stdout;
    }

    @Override
    public void onNext(Frame frame) {
        switch (frame.getStreamType()) {
            case STDOUT, RAW -> {
                try {
                    stdout.write(frame.getPayload());
                } catch (IOException e) {
                    writeFailure = e;
                }
            }
            case STDERR -> stderr(frame.getPayload());
            default -> { }
        }
    }

    private synchronized void stderr(byte[] payload) {
        int from = 0;
        if (pid == null) {
            for (; from < payload.length && pid == null; from++) {
                if (payload[from] == '\n') {
                    pid = header.toString(StandardCharsets.UTF_8).strip();
                } else {
                    header.write(payload[from]);
                }
            }
        }
        err.write(payload, from, payload.length - from);
    }

    /** The pid the wrapper reported, when it did. */
    Optional<String> pid() {
        String p = pid;
        return p != null && p.matches("[0-9]+") ? Optional.of(p) : Optional.empty();
    }

    /** The failure of writing stdout to its stream, or {@code null}. */
    IOException writeFailure() {
        return writeFailure;
    }

    synchronized byte[] stderr() {
        return err.toByteArray();
    }
}
