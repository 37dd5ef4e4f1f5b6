package dev.stateful.internal.stack;

/**
 * A container port to publish. Stateful publishes it on 127.0.0.1 on a free host port (so that
 * classes and runs do not collide); the host port in the file is ignored.
 *
 * @param containerPort the port in the container
 * @param protocol {@code tcp} or {@code udp}
 */
public record PortMapping(int containerPort, String protocol) {
}
