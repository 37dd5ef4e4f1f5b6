package dev.stateful.engine;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remove containers and volumes that earlier runs left behind.
 *
 * <p>Ryuk is not always available, so Stateful cleans up by its own labels. A resource is
 * swept only when it is Stateful's, marked ephemeral, older than a threshold, and its owner
 * process is gone (same host, process id no longer alive); resources created on another
 * host are swept only after a day. Volumes the user asked to keep are never ephemeral.
 */
final class Sweeper {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    static final Duration MIN_AGE = Duration.ofMinutes(1);
    static final Duration FOREIGN_HOST_MIN_AGE = Duration.ofDays(1);

    private final DockerEngine engine;

    Sweeper(DockerEngine engine) {
        this.engine = engine;
    }

    void sweep() {
        try {
            long now = System.currentTimeMillis();
            int containers = 0;
            for (Map.Entry<String, Map<String, String>> c : engine.containersLabelled(Labels.EPHEMERAL, "true").entrySet()) {
                if (isOrphan(c.getValue(), now)) {
                    engine.removeContainer(c.getKey());
                    containers++;
                }
            }
            int volumes = 0;
            for (Map.Entry<String, Map<String, String>> v : engine.volumesLabelled(Labels.EPHEMERAL, "true").entrySet()) {
                if (isOrphan(v.getValue(), now)) {
                    try {
                        engine.removeVolume(v.getKey());
                        volumes++;
                    } catch (RuntimeException e) {
                        LOG.debug("leftover volume {} not removed: {}", v.getKey(), e.getMessage());
                    }
                }
            }
            if (containers + volumes > 0) {
                LOG.info("Removed {} container(s) and {} volume(s) left behind by earlier Stateful runs", containers, volumes);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sweep of leftover Stateful containers failed: {}", e.getMessage());
        }
    }

    static boolean isOrphan(Map<String, String> labels, long now) {
        if (!"true".equals(labels.get(Labels.STATEFUL)) || !"true".equals(labels.get(Labels.EPHEMERAL))) {
            return false;
        }
        long created = parseLong(labels.get(Labels.CREATED), now);
        long age = now - created;
        if (!Labels.currentHost().equals(labels.get(Labels.HOST))) {
            return age >= FOREIGN_HOST_MIN_AGE.toMillis();
        }
        long pid = parseLong(labels.get(Labels.PID), -1);
        boolean ownerAlive = pid == ProcessHandle.current().pid()
                || (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return !ownerAlive && age >= MIN_AGE.toMillis();
    }

    private static long parseLong(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
