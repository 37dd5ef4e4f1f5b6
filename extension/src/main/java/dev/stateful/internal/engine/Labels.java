package dev.stateful.internal.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Name the labels Stateful puts on every container and volume it creates.
 *
 * <p>{@value #STATEFUL} marks a resource as Stateful's; {@value #EPHEMERAL} marks one that
 * may be swept once its owner process is gone. The owner is named by host, pid namespace, boot
 * id, pid and process start time: enough to tell, on the same host and namespace, that it is
 * dead (its pid is gone or belongs to a later process). A volume the user asked to keep carries the
 * first and not the second, so the sweep never touches it.
 */
public final class Labels {
    /** Present on every container and volume Stateful creates. */
    public static final String STATEFUL = "dev.stateful";
    /** The id of the JVM run that created the resource. */
    public static final String RUN = "dev.stateful.run";
    /** The process id of the creator. */
    public static final String PID = "dev.stateful.pid";
    /** The host name of the creator. */
    public static final String HOST = "dev.stateful.host";
    /** The creator's pid namespace ({@code /proc/self/ns/pid}, such as {@code pid:[4026531836]}), or {@code unknown}. */
    public static final String PID_NAMESPACE = "dev.stateful.pidns";
    /** The boot id of the creator's kernel ({@code /proc/sys/kernel/random/boot_id}), or {@code unknown}. */
    public static final String BOOT_ID = "dev.stateful.boot";
    /** The creator's start time, epoch milliseconds: a pid reused by a later process is not the owner. */
    public static final String PROCESS_STARTED = "dev.stateful.started";
    /** Creation time, epoch milliseconds. */
    public static final String CREATED = "dev.stateful.created";
    /** {@code true} on resources that are removed when their owner is gone. */
    public static final String EPHEMERAL = "dev.stateful.ephemeral";
    /**
     * On a volume that is complete only once another volume names it: the label that other
     * volume carries with this volume's name as value (a cache entry's data volume, named by its
     * marker). The sweep removes such a volume when its owner is gone and nothing names it: a fill
     * that was interrupted.
     */
    public static final String COMPLETED_BY = "dev.stateful.completed-by";
    /**
     * On an ephemeral volume, a lease: the reference of a local image its owner is pushing or
     * pulling. Images labelled {@value #TRANSIENT_IMAGE} that no living owner leases are swept.
     */
    public static final String LEASE = "dev.stateful.lease";
    /**
     * On an image that lives in an engine only while it is pushed or pulled (a cache entry in a
     * registry; the value is its key). The sweep removes such images that no lease keeps.
     */
    public static final String TRANSIENT_IMAGE = "dev.stateful.cache";

    private static final String RUN_ID = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private static final String HOST_NAME = hostName();
    static final String UNKNOWN = "unknown";
    private static final String PID_NAMESPACE_OF_THIS = readLink("/proc/self/ns/pid");
    private static final String BOOT_ID_OF_THIS = readFirstLine("/proc/sys/kernel/random/boot_id");

    private Labels() {
    }

    /**
     * Return the id of this JVM's run, shared by all resources it creates.
     *
     * @return eight hex digits
     */
    public static String runId() {
        return RUN_ID;
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    static String currentHost() {
        return HOST_NAME;
    }

    static String currentPidNamespace() {
        return PID_NAMESPACE_OF_THIS;
    }

    static String currentBootId() {
        return BOOT_ID_OF_THIS;
    }

    /**
     * Return when a process started, epoch milliseconds.
     *
     * @param process the process
     * @return its start time, or -1 when the system does not say
     */
    static long startedMillis(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
    }

    private static String readLink(String path) {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of(path)).toString();
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return UNKNOWN;
        }
    }

    private static String readFirstLine(String path) {
        try {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of(path)).strip();
            return text.isEmpty() ? UNKNOWN : text;
        } catch (java.io.IOException | SecurityException e) {
            return UNKNOWN;
        }
    }

    /**
     * Describe who owns a resource, from its labels: for messages.
     *
     * @param labels the resource's labels
     * @return such as {@code Stateful run 1a2b3c4d (host ci-7, pid 4242)}, or a note that it is
     *     not Stateful's
     */
    public static String describeOwner(Map<String, String> labels) {
        if (!"true".equals(labels.get(STATEFUL))) {
            return "not a Stateful container (no " + STATEFUL + " label)";
        }
        return "Stateful run " + labels.getOrDefault(RUN, "?") + " (host " + labels.getOrDefault(HOST, "?")
                + ", pid " + labels.getOrDefault(PID, "?") + " in " + labels.getOrDefault(PID_NAMESPACE, UNKNOWN) + ")";
    }

    /**
     * Build the labels of a new resource owned by this process.
     *
     * @param ephemeral whether the sweep may remove it once this process is gone
     * @return a mutable map of label to value
     */
    public static Map<String, String> forNewResource(boolean ephemeral) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(STATEFUL, "true");
        labels.put(RUN, RUN_ID);
        labels.put(PID, Long.toString(ProcessHandle.current().pid()));
        labels.put(HOST, HOST_NAME);
        labels.put(PID_NAMESPACE, PID_NAMESPACE_OF_THIS);
        labels.put(BOOT_ID, BOOT_ID_OF_THIS);
        labels.put(PROCESS_STARTED, Long.toString(startedMillis(ProcessHandle.current())));
        labels.put(CREATED, Long.toString(System.currentTimeMillis()));
        labels.put(EPHEMERAL, Boolean.toString(ephemeral));
        return labels;
    }

}
