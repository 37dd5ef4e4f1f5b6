package dev.stateful.internal.engine;

import static dev.stateful.internal.engine.EngineMessages.shortId;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.stateful.error.EngineException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Images as a transport: commit a container's filesystem, push to and pull from a registry,
 * remove. Credentials are the engine's own (its client configuration); Stateful passes none.
 */
final class Registries {
    private final EngineClients engine;

    Registries(EngineClients engine) {
        this.engine = engine;
    }

    String commit(String containerId, String repository, String tag, Map<String, String> labels) {
        return engine.call("commit " + shortId(containerId), () -> engine.calls.commitCmd(containerId)
                .withRepository(repository).withTag(tag).withLabels(labels).exec());
    }

    void push(String repository, String tag, Duration timeout) {
        AtomicReference<String> error = new AtomicReference<>();
        String what = "push " + repository + ":" + tag;
        try (ResultCallback.Adapter<PushResponseItem> pushing = engine.client.pushImageCmd(repository).withTag(tag)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(PushResponseItem item) {
                        if (item.isErrorIndicated()) {
                            error.compareAndSet(null, item.getErrorDetail() != null
                                    ? item.getErrorDetail().getMessage() : "the registry refused it");
                        }
                    }
                })) {
            if (!pushing.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EngineException("cannot " + what + ": it did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted during " + what, e);
        } catch (IOException e) {
            throw new EngineException("cannot " + what + ": " + e, e);
        }
        if (error.get() != null) {
            throw new EngineException("cannot " + what + ": " + error.get());
        }
    }

    boolean pullIfPresent(String repository, String tag, Duration timeout) {
        String what = "pull " + repository + ":" + tag;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        // A callback of its own: docker-java's template logs a missing tag (an ordinary miss) at ERROR.
        ResultCallback<PullResponseItem> callback = new ResultCallback<>() {
            private Closeable stream;

            @Override
            public void onStart(Closeable closeable) {
                stream = closeable;
            }

            @Override
            public void onNext(PullResponseItem item) {
                if (item.isErrorIndicated()) {
                    failure.compareAndSet(null, new EngineException(item.getErrorDetail() != null
                            ? item.getErrorDetail().getMessage() : "the registry refused it"));
                }
            }

            @Override
            public void onError(Throwable throwable) {
                failure.compareAndSet(null, throwable);
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }

            @Override
            public void close() throws IOException {
                if (stream != null) {
                    stream.close();
                }
            }
        };
        ResultCallback<PullResponseItem> pulling = engine.client.pullImageCmd(repository).withTag(tag).exec(callback);
        try {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EngineException("cannot " + what + ": it did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted during " + what, e);
        } finally {
            try {
                pulling.close(); // on every path: stops reading the stream past the deadline
            } catch (IOException e) {
                // the stream is gone either way
            }
        }
        Throwable error = failure.get();
        if (error == null) {
            return true;
        }
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (error instanceof NotFoundException || message.contains("not found") || message.contains("manifest unknown")) {
            return false;
        }
        throw new EngineException("cannot " + what + ": " + error.getMessage(), error);
    }

    void remove(String reference) {
        try {
            engine.call("remove image " + reference, () -> {
                engine.calls.removeImageCmd(reference).withForce(true).exec();
                return null;
            });
        } catch (NotFoundException e) {
            // already gone
        }
    }
}
