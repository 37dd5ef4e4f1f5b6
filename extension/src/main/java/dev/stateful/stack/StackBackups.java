package dev.stateful.stack;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.StatefulException;
import dev.stateful.internal.snapshot.VolumeBackups;
import dev.stateful.internal.stack.VolumeMount;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back up every named volume of a stack into one folder and restore them together. The services
 * are stopped (in reverse start order) while the volumes are read or written, so the copies are
 * consistent with each other, and started again in order. Each volume streams through the Docker
 * archive API into {@code <volume>.tar} (never through the heap); {@code manifest.properties},
 * written last, lists every file with its size and SHA-256, and a restore checks them all before
 * it touches a volume.
 */
final class StackBackups {
    static final String MANIFEST = "manifest.properties";
    private static final Logger LOG = LoggerFactory.getLogger(StackBackups.class);

    private StackBackups() {
    }

    /** A volume, the service whose container mounts it, and where. */
    private record Mounted(String key, ServiceRuntime service, String target) {
    }

    private static List<Mounted> mounted(StackContext context, Map<String, ServiceRuntime> services) {
        List<Mounted> found = new ArrayList<>();
        for (String key : context.volumeNames.keySet()) {
            outer:
            for (ServiceRuntime service : services.values()) {
                for (VolumeMount mount : service.definition.volumes()) {
                    if (mount.named() && mount.source().equals(key)) {
                        found.add(new Mounted(key, service, mount.target()));
                        break outer;
                    }
                }
            }
        }
        return found;
    }

    static Path backup(StackContext context, Map<String, ServiceRuntime> services, Path target) {
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new InvalidArgumentException("backup('" + target + "') on stack " + context.project + ": the folder "
                    + "exists and is not empty; expected a new or empty folder for the volumes' archives and the "
                    + "manifest. Fix: pass a new folder.");
        }
        List<Mounted> volumes = mounted(context, services);
        long started = System.nanoTime();
        Properties manifest = new Properties();
        manifest.setProperty("format", "stateful-stack-backup 1");
        manifest.setProperty("project", context.project);
        manifest.setProperty("created", Instant.now().toString());
        try {
            Files.createDirectories(target);
            stopAll(services);
            long paused = System.nanoTime();
            try {
                for (Mounted volume : volumes) {
                    backupVolume(context.engine, volume.key(), volume.service().name(), volume.service().containerId(),
                            volume.target(), target, manifest);
                }
            } finally {
                startAll(services);
            }
            manifest.setProperty("paused.millis", Long.toString((System.nanoTime() - paused) / 1_000_000));
            writeManifest(target, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stack backup " + target, e);
        }
        LOG.info("Stack {}: backed up {} volumes to {} in {} ms (services paused {} ms)", context.project, volumes.size(),
                target, (System.nanoTime() - started) / 1_000_000, manifest.getProperty("paused.millis"));
        return target;
    }

    /** Stream one volume, mounted at {@code mountTarget} in a stopped container, into {@code <key>.tar}; note it in the manifest. */
    static long backupVolume(dev.stateful.internal.engine.DockerEngine engine, String key, String service,
            String containerId, String mountTarget, Path folder, Properties manifest) {
        Path file = folder.resolve(key + ".tar");
        long t = System.nanoTime();
        long bytes = VolumeBackups.backup(engine, containerId, mountTarget, file);
        long millis = (System.nanoTime() - t) / 1_000_000;
        manifest.setProperty("volume." + key + ".service", service);
        manifest.setProperty("volume." + key + ".bytes", Long.toString(bytes));
        manifest.setProperty("volume." + key + ".sha256", sha256(file));
        manifest.setProperty("volume." + key + ".millis", Long.toString(millis));
        return millis;
    }

    /** Write the manifest last, atomically: a folder without it is a partial backup. */
    static void writeManifest(Path folder, Properties manifest) throws IOException {
        Path partial = folder.resolve(MANIFEST + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            manifest.store(out, "Stateful stack backup: every volume's archive with its size and SHA-256");
        }
        Files.move(partial, folder.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
    }

    /** How long restoring one volume took. */
    record VolumeTime(String volume, String service, long millis) {
    }

    /** Restore every volume with the services stopped, then start them in order; return the time of each volume. */
    static List<VolumeTime> restore(StackContext context, Map<String, ServiceRuntime> services, Path backup) {
        List<Mounted> volumes = mounted(context, services);
        Properties manifest = check(context, backup, volumes);
        long started = System.nanoTime();
        List<VolumeTime> times = new ArrayList<>();
        stopAll(services);
        try {
            for (Mounted volume : volumes) {
                long t = System.nanoTime();
                VolumeBackups.restore(context.engine, context.helperImage,
                        context.volumeNames.get(volume.key()), volume.service().containerId(), volume.target(),
                        backup.resolve(volume.key() + ".tar"));
                times.add(new VolumeTime(volume.key(), volume.service().name(), (System.nanoTime() - t) / 1_000_000));
            }
        } finally {
            startAll(services);
        }
        LOG.info("Stack {}: restored {} volumes from {} (made {}) in {} ms", context.project, volumes.size(), backup,
                manifest.getProperty("created"), (System.nanoTime() - started) / 1_000_000);
        return times;
    }

    /** Every check before anything is touched: the manifest, every volume's archive, its size and checksum. */
    private static Properties check(StackContext context, Path backup, List<Mounted> volumes) {
        String where = "restoreBackup('" + backup + "') on stack " + context.project + ": ";
        Path manifestFile = backup.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new InvalidArgumentException(where + "there is no " + MANIFEST + ", so the backup is partial (it "
                    + "was interrupted before the manifest, written last) or not a stack backup; expected a folder "
                    + "written by StatefulStack.backup(). Nothing was touched. Fix: pass a complete backup.");
        }
        Properties manifest = new Properties();
        try (InputStream in = Files.newInputStream(manifestFile)) {
            manifest.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArgumentException(where + "the manifest cannot be read (" + e.getMessage() + "). Nothing "
                    + "was touched. Fix: pass a complete backup.");
        }
        for (Mounted volume : volumes) {
            String key = volume.key();
            String sha = manifest.getProperty("volume." + key + ".sha256");
            Path file = backup.resolve(key + ".tar");
            if (sha == null) {
                throw new InvalidArgumentException(where + "the backup holds no volume '" + key + "'; expected every "
                        + "volume of the stack " + context.volumeNames.keySet() + ". Nothing was touched. Fix: restore "
                        + "a backup of a stack from the same compose file.");
            }
            long bytes = Long.parseLong(manifest.getProperty("volume." + key + ".bytes", "-1"));
            long actual;
            try {
                actual = Files.isRegularFile(file) ? Files.size(file) : -1;
            } catch (IOException e) {
                actual = -1;
            }
            if (actual != bytes) {
                throw new InvalidArgumentException(where + "the archive of volume '" + key + "' (" + file + ") is "
                        + (actual < 0 ? "missing" : actual + " bytes") + "; expected " + bytes + " bytes as the "
                        + "manifest says, so the backup is damaged or partial. Nothing was touched. Fix: restore "
                        + "another copy of the backup.");
            }
            String digest = sha256(file);
            if (!digest.equals(sha)) {
                throw new InvalidArgumentException(where + "the archive of volume '" + key + "' (" + file + ") has "
                        + "SHA-256 " + digest + "; expected " + sha + " as the manifest says, so the backup is "
                        + "damaged. Nothing was touched. Fix: restore another copy of the backup.");
            }
        }
        return manifest;
    }

    private static void stopAll(Map<String, ServiceRuntime> services) {
        List<ServiceRuntime> reverse = new ArrayList<>(services.values());
        Collections.reverse(reverse);
        for (ServiceRuntime service : reverse) {
            service.stop();
        }
    }

    private static void startAll(Map<String, ServiceRuntime> services) {
        for (ServiceRuntime service : services.values()) {
            service.start();
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new StatefulException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
