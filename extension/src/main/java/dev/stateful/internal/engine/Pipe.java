package dev.stateful.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * Connect a writing thread to a reading thread through a bounded buffer, so that data of any
 * size streams with constant memory.
 *
 * <p>Unlike {@link java.io.PipedInputStream} it does not care which threads write and read
 * (the engine's callbacks run on pool threads that come and go). The writer ends the stream
 * with {@code sink().close()} or fails it with {@link #fail(IOException)}; the reader then gets
 * the data written so far followed by end of stream, or the failure. When the reader closes
 * {@link #source()} first, further writes fail at once instead of blocking forever.
 */
public final class Pipe {
    private final byte[] buffer;
    private int readPos;
    private int count;
    private boolean writerClosed;
    private boolean readerClosed;
    private IOException failure;
    private final Sink sink = new Sink();
    private final Source source = new Source();

    /**
     * Create a pipe.
     *
     * @param capacity buffer size in bytes
     */
    public Pipe(int capacity) {
        this.buffer = new byte[capacity];
    }

    /**
     * Return the writing end.
     *
     * @return the output stream; closing it ends the data
     */
    public OutputStream sink() {
        return sink;
    }

    /**
     * Return the reading end.
     *
     * @return the input stream; closing it makes further writes fail
     */
    public InputStream source() {
        return source;
    }

    /**
     * End the data with a failure: the reader gets {@code cause} instead of end of stream.
     *
     * @param cause why the writer gave up
     */
    public synchronized void fail(IOException cause) {
        failure = cause;
        writerClosed = true;
        notifyAll();
    }

    private synchronized void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            while (count == buffer.length && !readerClosed) {
                await();
            }
            if (readerClosed) {
                throw new IOException("the reading side of the pipe is closed");
            }
            if (writerClosed) {
                throw new IOException("the pipe is closed for writing");
            }
            int writePos = (readPos + count) % buffer.length;
            int n = Math.min(len, Math.min(buffer.length - count, buffer.length - writePos));
            System.arraycopy(b, off, buffer, writePos, n);
            count += n;
            off += n;
            len -= n;
            notifyAll();
        }
    }

    private synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (count == 0 && !writerClosed && !readerClosed) {
            await();
        }
        if (readerClosed) {
            throw new IOException("the pipe is closed");
        }
        if (count == 0) {
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            return -1;
        }
        int n = Math.min(len, Math.min(count, buffer.length - readPos));
        System.arraycopy(buffer, readPos, b, off, n);
        readPos = (readPos + n) % buffer.length;
        count -= n;
        notifyAll();
        return n;
    }

    private synchronized void closeWriter() {
        writerClosed = true;
        notifyAll();
    }

    private synchronized void closeReader() {
        readerClosed = true;
        notifyAll();
    }

    private void await() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a pipe");
        }
    }

    private final class Sink extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            Pipe.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Pipe.this.write(b, off, len);
        }

        @Override
        public void close() {
            closeWriter();
        }
    }

    private final class Source extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = Pipe.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return Pipe.this.read(b, off, len);
        }

        @Override
        public void close() {
            closeReader();
        }
    }
}
