package dev.stateful.internal.dump;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Feed complete lines of a command's output to a consumer, keeping at most one line (cut at 64 KiB). */
final class LineSink extends OutputStream {
    private static final int MAX_LINE = 1 << 16;
    private final Consumer<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSink(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void flushLine() {
        lines.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
    }

    @Override
    public void close() {
        if (line.size() > 0) {
            flushLine();
        }
    }
}
