package dev.stateful.internal.engine;

import com.github.dockerjava.api.exception.DockerException;
import dev.stateful.error.EngineException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run engine calls with a deadline: each call runs on a worker, and a call that does not
 * answer in time is given up with an {@link EngineException} instead of a hang.
 */
final class DeadlineCalls {
    /** Workers of engine calls, so that a call that does not answer can be given up at its deadline. */
    private static final ExecutorService WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new ThreadFactory() {
                private final AtomicInteger count = new AtomicInteger();

                @Override
                public Thread newThread(Runnable r) {
                    Thread t = new Thread(r, "stateful-engine-call-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }
            });

    private DeadlineCalls() {
    }

    /** An engine call that may throw anything. */
    interface DockerCall<T> {
        T run() throws Exception;
    }

    /** Run an engine call with a deadline and turn every failure into an {@link EngineException}. */
    static <T> T call(String what, Duration deadline, DockerCall<T> call) {
        try {
            return bounded(what, deadline, call::run);
        } catch (EngineException e) {
            throw e;
        } catch (DockerException e) {
            throw new EngineException("cannot " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new EngineException("cannot " + what + ": " + e, e);
        }
    }

    /**
     * Run an engine call on a worker and wait at most {@code deadline} for it: an engine that
     * stops answering gives an {@link EngineException}, not a hang. The body's own unchecked
     * exceptions (for example docker-java's {@code NotFoundException}) reach the caller as they are.
     */
    static <T> T bounded(String what, Duration deadline, Callable<T> body) {
        Future<T> result = WORKERS.submit(body);
        try {
            return result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new EngineException(EngineMessages.engineTimedOut(what, deadline), e);
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new EngineException("cannot " + what + ": " + cause, cause);
        }
    }
}
