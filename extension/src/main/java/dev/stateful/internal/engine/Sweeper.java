package dev.stateful.internal.engine;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remove containers, volumes, networks and transfer images that earlier runs left behind.
 *
 * <p>Ryuk is not always available, so Stateful cleans up by its own labels. A resource is
 * swept only when it is Stateful's and marked ephemeral (volumes the user asked to keep never
 * are), and its owner is gone:
 * <ul>
 *   <li>created on this host, in this pid namespace, since this boot: at once, with no minimum
 *       age, when its pid is no longer alive or now belongs to a process that started later
 *       (a SIGKILLed run's leftovers are gone after the next run);</li>
 *   <li>created on another host or in another pid namespace (another CI job on a shared
 *       engine, a container): only when older than {@code stateful.sweep.foreign-age};</li>
 *   <li>labelled by an older Stateful without the namespace labels: on this host, when its pid
 *       is gone and it is older than a minute.</li>
 * </ul>
 * Two more kinds of leftovers go by the same owner rules: a volume labelled
 * {@link Labels#COMPLETED_BY} that no other volume names (a cache entry whose fill was
 * interrupted), and an image labelled {@link Labels#TRANSIENT_IMAGE} that no lease of a running
 * owner keeps (a registry push or pull that was interrupted).
 */
final class Sweeper {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    static final Duration MIN_AGE = Duration.ofMinutes(1);
    /** A start time within this of the label's is the same process (the clock ticks differ). */
    private static final long SAME_START_TOLERANCE_MILLIS = 2_000;

    private final DockerEngine engine;
    private final Duration foreignAge;

    Sweeper(DockerEngine engine, Duration foreignAge) {
        this.engine = engine;
        this.foreignAge = foreignAge;
    }

    void sweep() {
        try {
            long now = System.currentTimeMillis();
            int containers = 0;
            for (Map.Entry<String, Map<String, String>> c : engine.containersLabelled(Labels.EPHEMERAL, "true").entrySet()) {
                if (isOrphan(c.getValue(), now, foreignAge)) {
                    engine.removeContainer(c.getKey());
                    containers++;
                }
            }
            int volumes = 0;
            for (Map.Entry<String, Map<String, String>> v : engine.volumesLabelled(Labels.EPHEMERAL, "true").entrySet()) {
                if (isOrphan(v.getValue(), now, foreignAge)) {
                    try {
                        engine.removeVolume(v.getKey());
                        volumes++;
                    } catch (RuntimeException e) {
                        LOG.debug("leftover volume {} not removed: {}", v.getKey(), e.getMessage());
                    }
                }
            }
            int networks = 0;
            for (Map.Entry<String, Map<String, String>> n : engine.networksLabelled(Labels.EPHEMERAL, "true").entrySet()) {
                if (isOrphan(n.getValue(), now, foreignAge)) {
                    try {
                        engine.removeNetwork(n.getKey()); // a migrator's private network
                        networks++;
                    } catch (RuntimeException e) {
                        LOG.debug("leftover network {} not removed: {}", n.getKey(), e.getMessage());
                    }
                }
            }
            volumes += sweepUnfinishedVolumes(now);
            int images = sweepUnleasedImages(now);
            if (containers + volumes + networks + images > 0) {
                LOG.info("Removed {} container(s), {} volume(s), {} network(s) and {} image(s) left behind by earlier "
                        + "Stateful runs", containers, volumes, networks, images);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sweep of leftover Stateful containers failed: {}", e.getMessage());
        }
    }

    /**
     * Remove volumes whose fill was interrupted: labelled {@link Labels#COMPLETED_BY}, their owner
     * gone, and no volume naming them (a cache entry's data volume without its marker).
     */
    private int sweepUnfinishedVolumes(long now) {
        int removed = 0;
        for (Map.Entry<String, Map<String, String>> v : engine.volumesLabelled(Labels.COMPLETED_BY, null).entrySet()) {
            String namedBy = v.getValue().get(Labels.COMPLETED_BY);
            if (ownerGone(v.getValue(), now, foreignAge) && engine.volumesLabelled(namedBy, v.getKey()).isEmpty()) {
                try {
                    engine.removeVolume(v.getKey());
                    removed++;
                } catch (RuntimeException e) {
                    LOG.debug("unfinished volume {} not removed: {}", v.getKey(), e.getMessage());
                }
            }
        }
        return removed;
    }

    /**
     * Remove images labelled {@link Labels#TRANSIENT_IMAGE} that no lease of a running owner keeps
     * (a push or pull that was interrupted), unless a container uses them. The images are listed
     * before the leases: a lease is taken before its image exists, so every image listed whose
     * transfer still runs has its lease in the later list.
     */
    private int sweepUnleasedImages(long now) {
        Map<String, List<String>> images = engine.imagesLabelled(Labels.TRANSIENT_IMAGE);
        if (images.isEmpty()) {
            return 0;
        }
        Set<String> leased = new HashSet<>();
        engine.volumesLabelled(Labels.LEASE, null).forEach((lease, labels) -> {
            if (!isOrphan(labels, now, foreignAge)) {
                leased.add(labels.get(Labels.LEASE));
            }
        });
        int removed = 0;
        for (List<String> tags : images.values()) {
            for (String tag : tags) {
                if (!leased.contains(tag) && engine.removeImageIfUnused(tag)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    static boolean isOrphan(Map<String, String> labels, long now, Duration foreignAge) {
        return "true".equals(labels.get(Labels.EPHEMERAL)) && ownerGone(labels, now, foreignAge);
    }

    /** Whether a Stateful resource's owner is gone, by the rules of the class comment (ephemeral or not). */
    static boolean ownerGone(Map<String, String> labels, long now, Duration foreignAge) {
        if (!"true".equals(labels.get(Labels.STATEFUL))) {
            return false;
        }
        long age = now - parseLong(labels.get(Labels.CREATED), now);
        if (!Labels.currentHost().equals(labels.get(Labels.HOST))) {
            return age >= foreignAge.toMillis();
        }
        String namespace = labels.get(Labels.PID_NAMESPACE);
        long pid = parseLong(labels.get(Labels.PID), -1);
        if (namespace == null) {
            // Labelled before the namespace labels existed: the old, cautious rule.
            return pid > 0 && !alive(pid, -1) && age >= MIN_AGE.toMillis();
        }
        boolean sameNamespace = !Labels.UNKNOWN.equals(namespace) && namespace.equals(Labels.currentPidNamespace())
                && !Labels.UNKNOWN.equals(Labels.currentBootId())
                && Labels.currentBootId().equals(labels.get(Labels.BOOT_ID));
        if (!sameNamespace) {
            return age >= foreignAge.toMillis();
        }
        return pid > 0 && !alive(pid, parseLong(labels.get(Labels.PROCESS_STARTED), -1));
    }

    /** Whether the owner runs: its pid is alive and, when its start time is known, started then. */
    private static boolean alive(long pid, long started) {
        if (pid == ProcessHandle.current().pid()) {
            return true;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        long actual = Labels.startedMillis(process.get());
        return started < 0 || actual < 0 || Math.abs(actual - started) <= SAME_START_TOLERANCE_MILLIS;
    }

    private static long parseLong(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
