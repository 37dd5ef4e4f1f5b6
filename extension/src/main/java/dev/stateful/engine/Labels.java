package dev.stateful.engine;

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
 * may be swept once its owner process is gone. A volume the user asked to keep carries the
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
    /** Creation time, epoch milliseconds. */
    public static final String CREATED = "dev.stateful.created";
    /** {@code true} on resources that are removed when their owner is gone. */
    public static final String EPHEMERAL = "dev.stateful.ephemeral";

    private static final String RUN_ID = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private static final String HOST_NAME = hostName();

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
        labels.put(CREATED, Long.toString(System.currentTimeMillis()));
        labels.put(EPHEMERAL, Boolean.toString(ephemeral));
        return labels;
    }

}
