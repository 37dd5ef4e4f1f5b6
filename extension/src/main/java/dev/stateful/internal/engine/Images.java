package dev.stateful.internal.engine;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.stateful.error.ImageException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.utility.DockerImageName;

/** Images: inspect, and pull what is missing. */
final class Images {
    private static final Logger LOG = LoggerFactory.getLogger(Images.class);
    private final EngineClients engine;

    Images(EngineClients engine) {
        this.engine = engine;
    }

    ImageInfo image(String reference) {
        Optional<InspectImageResponse> local = inspect(reference);
        if (local.isEmpty()) {
            pull(reference);
            local = inspect(reference);
        }
        InspectImageResponse image = local.orElseThrow(() -> new ImageException(
                "image '" + reference + "' was pulled but cannot be inspected"));
        String[] env = image.getConfig() == null ? null : image.getConfig().getEnv();
        return new ImageInfo(reference, image.getId(), env == null ? List.of() : Arrays.asList(env));
    }

    private Optional<InspectImageResponse> inspect(String reference) {
        try {
            return Optional.of(engine.bounded("inspect image " + reference,
                    () -> engine.calls.inspectImageCmd(reference).exec()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private void pull(String reference) {
        DockerImageName name;
        try {
            name = DockerImageName.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new ImageException(EngineMessages.imageMissing(reference, e.getMessage()), e);
        }
        LOG.info("Pulling image {}", reference);
        try (var pulling = engine.client.pullImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart()).start()) {
            boolean done = pulling.awaitCompletion(5, TimeUnit.MINUTES);
            if (!done) {
                throw new ImageException(EngineMessages.imageMissing(reference, "pull did not finish within 5 minutes"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(EngineMessages.imageMissing(reference, "interrupted"), e);
        } catch (IOException | RuntimeException e) {
            throw new ImageException(EngineMessages.imageMissing(reference, e.getMessage()), e);
        }
    }
}
