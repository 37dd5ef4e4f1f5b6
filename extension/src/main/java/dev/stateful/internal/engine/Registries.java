package dev.stateful.internal.engine;

import static dev.stateful.internal.engine.EngineMessages.shortId;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.stateful.error.EngineException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Images as a transport: commit a container's filesystem, push to and pull from a registry,
 * remove. Credentials are the Docker CLI's own ({@link RegistryCredentials}); Stateful has none.
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

    void push(String repository, String tag, Duration timeout, Path dockerConfig) {
        AtomicReference<String> error = new AtomicReference<>();
        String what = "push " + repository + ":" + tag;
        var command = engine.client.pushImageCmd(repository).withTag(tag);
        Optional<AuthConfig> auth = RegistryCredentials.lookup(dockerConfig, repository);
        auth.ifPresent(command::withAuthConfig);
        try (ResultCallback.Adapter<PushResponseItem> pushing = command
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
            throw failure(what, error.get(), repository, dockerConfig, auth.isPresent(), null);
        }
    }

    /** Return the exception of a failed push or pull: one that says how to log in when the registry asked for it. */
    private static EngineException failure(String what, String message, String repository, Path dockerConfig,
                                           boolean hadCredentials, Throwable cause) {
        String lower = String.valueOf(message).toLowerCase(Locale.ROOT);
        if (lower.contains("unauthorized") || lower.contains("authentication required") || lower.contains("denied")
                || lower.contains("no basic auth credentials") || lower.contains("docker login")) {
            String host = RegistryCredentials.host(repository);
            Path file = dockerConfig.resolve("config.json");
            return new EngineException("cannot " + what + ": the registry " + host + " refused "
                    + (hadCredentials ? "the credentials in " + file : "access without credentials, and " + file
                    + " has none for " + host) + " (" + message + "). Fix: log in with 'docker login " + host
                    + "' (it writes " + file + "), or point DOCKER_CONFIG at the directory whose config.json "
                    + "holds them; Stateful reads them there and nowhere else.", cause);
        }
        return new EngineException("cannot " + what + ": " + message, cause);
    }

    boolean pullIfPresent(String repository, String tag, Duration timeout, Path dockerConfig) {
        Optional<AuthConfig> auth = RegistryCredentials.lookup(dockerConfig, repository);
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
        var command = engine.client.pullImageCmd(repository).withTag(tag);
        auth.ifPresent(command::withAuthConfig);
        ResultCallback<PullResponseItem> pulling = command.exec(callback);
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
        boolean refused = message.contains("unauthorized") || message.contains("authentication required")
                || message.contains("denied") || message.contains("no basic auth credentials");
        if (!refused && (error instanceof NotFoundException || message.contains("not found")
                || message.contains("manifest unknown"))) {
            return false;
        }
        throw failure(what, error.getMessage(), repository, dockerConfig, auth.isPresent(), error);
    }

    /** Return the local images carrying a label: image id to its repository tags. */
    Map<String, List<String>> labelled(String label) {
        List<Image> images = engine.call("list images labelled " + label,
                () -> engine.calls.listImagesCmd().withLabelFilter(label).exec());
        Map<String, List<String>> byId = new LinkedHashMap<>();
        for (Image image : images) {
            String[] tags = image.getRepoTags();
            byId.put(image.getId(), tags == null ? List.of() : List.of(tags).stream()
                    .filter(t -> !t.equals("<none>:<none>")).toList());
        }
        return byId;
    }

    /** Remove a local image's tag unless a container uses the image; return whether it was removed. */
    boolean removeUnused(String reference) {
        try {
            engine.bounded("remove image " + reference, () -> {
                engine.calls.removeImageCmd(reference).withForce(false).exec();
                return null;
            });
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (ConflictException e) {
            return false; // a container uses it
        } catch (DockerException e) {
            throw new EngineException("cannot remove image " + reference + ": " + e.getMessage(), e);
        }
    }

    void remove(String reference) {
        try {
            engine.bounded("remove image " + reference, () -> {
                engine.calls.removeImageCmd(reference).withForce(true).exec();
                return null;
            });
        } catch (NotFoundException e) {
            // already gone (the bounded call passes docker-java's exception on as it is)
        } catch (DockerException e) {
            throw new EngineException("cannot remove image " + reference + ": " + e.getMessage(), e);
        }
    }
}
