package dev.stateful.internal.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one service of a compose file: the supported keys, the ignored ones, the refused ones. */
final class ServiceReader {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceReader.class);
    private static final Set<String> IGNORED = Set.of("restart", "labels", "logging", "container_name", "networks",
            "expose", "stop_grace_period", "deploy", "mem_limit", "memswap_limit", "mem_reservation", "cpus",
            "cpu_shares", "cpu_quota", "cpuset", "pids_limit", "oom_score_adj", "init", "pull_policy");
    private static final String SUPPORTED = "image, command, entrypoint, environment, env_file, volumes, ports, "
            + "depends_on, healthcheck, tmpfs";
    private static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy",
            "service_completed_successfully");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|ns)");

    private final Path file;
    private final Path folder;
    private final Interpolation interpolation;
    private final Set<String> declaredVolumes;

    ServiceReader(Path file, Path folder, Interpolation interpolation, Set<String> declaredVolumes) {
        this.file = file;
        this.folder = folder;
        this.interpolation = interpolation;
        this.declaredVolumes = declaredVolumes;
    }

    ComposeService read(String name, Object raw) {
        Map<?, ?> definition = Values.mapping(file, name, null, raw == null ? Map.of() : raw);
        String image = null;
        List<String> command = List.of();
        List<String> entrypoint = List.of();
        Map<String, String> fromFiles = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        List<VolumeMount> volumes = new ArrayList<>();
        List<PortMapping> ports = new ArrayList<>();
        List<ComposeService.DependsOn> dependsOn = new ArrayList<>();
        Optional<Healthcheck> healthcheck = Optional.empty();
        List<String> tmpfs = new ArrayList<>();
        for (Map.Entry<?, ?> entry : definition.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            switch (key) {
                case "image":
                    image = text(name, key, value);
                    break;
                case "command":
                case "entrypoint":
                    List<String> argv = argv(name, key, value);
                    if (key.equals("command")) {
                        command = argv;
                    } else {
                        entrypoint = argv;
                    }
                    break;
                case "environment":
                    environment(name, value, environment);
                    break;
                case "env_file":
                    for (Object envFile : Values.list(file, name, key, value, true)) {
                        String path = text(name, key, envFile);
                        fromFiles.putAll(EnvFiles.read(file, folder.resolve(path).normalize(), name, key));
                    }
                    break;
                case "volumes":
                    for (Object mount : Values.list(file, name, key, value, false)) {
                        mount(name, mount, volumes, tmpfs);
                    }
                    break;
                case "ports":
                    for (Object port : Values.list(file, name, key, value, false)) {
                        ports.add(port(name, port));
                    }
                    break;
                case "depends_on":
                    dependsOn(name, value, dependsOn);
                    break;
                case "healthcheck":
                    healthcheck = Optional.of(healthcheck(name, value));
                    break;
                case "tmpfs":
                    for (Object path : Values.list(file, name, key, value, true)) {
                        tmpfs.add(text(name, key, path));
                    }
                    break;
                case "build":
                    if (!definition.containsKey("image")) {
                        throw ComposeErrors.refuse(file, name, "build", "the service has only 'build:' and no 'image:'; "
                                + "Stateful runs images and does not build them.", "build the image before the test "
                                + "(docker compose build), and add 'image:' with its name to the service.");
                    }
                    LOG.debug("Compose file '{}', service '{}': 'build' ignored; Stateful runs the image '{}' as it is",
                            file, name, definition.get("image"));
                    break;
                default:
                    if (IGNORED.contains(key) || key.startsWith("x-")) {
                        LOG.debug("Compose file '{}', service '{}': '{}' ignored; it changes nothing a test can see",
                                file, name, key);
                        break;
                    }
                    throw ComposeErrors.refuse(file, name, key, "'" + key + "' is not supported by Stateful and would "
                            + "change what the service does; expected only " + SUPPORTED + " (and keys that change "
                            + "nothing a test sees, such as restart or labels).",
                            "remove '" + key + "' from the compose file the test reads, or give the test a file of its own.");
            }
        }
        if (image == null || image.isBlank()) {
            throw ComposeErrors.refuse(file, name, "image", "the service names no image; expected 'image:' with an "
                    + "image reference such as postgres:17.", "add 'image:' to the service.");
        }
        Map<String, String> merged = new LinkedHashMap<>(fromFiles);
        merged.putAll(environment);
        return new ComposeService(name, image, command, entrypoint, merged, volumes, ports, dependsOn, healthcheck, tmpfs);
    }

    private String text(String service, String key, Object value) {
        return interpolation.apply(Values.scalar(file, service, key, value), service, key);
    }

    private List<String> argv(String service, String key, Object value) {
        if (value instanceof List) {
            List<String> argv = new ArrayList<>();
            for (Object word : (List<?>) value) {
                argv.add(text(service, key, word));
            }
            return argv;
        }
        String line = text(service, key, value);
        return ShellWords.split(line).orElseThrow(() -> ComposeErrors.refuse(file, service, key, "'" + line
                + "' has a quote that is not closed; expected words as a shell would split them.",
                "close the quote, or write '" + key + "' as a YAML list of words."));
    }

    private void environment(String service, Object value, Map<String, String> environment) {
        if (value instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                String variable = String.valueOf(entry.getKey());
                String key = "environment." + variable;
                if (entry.getValue() == null) {
                    interpolation.variable(variable).ifPresent(v -> environment.put(variable, v));
                } else {
                    environment.put(variable, text(service, key, entry.getValue()));
                }
            }
            return;
        }
        for (Object item : Values.list(file, service, "environment", value, false)) {
            String raw = Values.scalar(file, service, "environment", item);
            int eq = raw.indexOf('=');
            String variable = eq < 0 ? raw : raw.substring(0, eq);
            if (eq < 0) {
                interpolation.variable(variable).ifPresent(v -> environment.put(variable, v));
            } else {
                environment.put(variable, interpolation.apply(raw.substring(eq + 1), service, "environment." + variable));
            }
        }
    }

    private void mount(String service, Object raw, List<VolumeMount> volumes, List<String> tmpfs) {
        String source;
        String target;
        boolean readOnly = false;
        String type = null;
        if (raw instanceof Map) {
            Map<?, ?> mount = (Map<?, ?>) raw;
            type = text(service, "volumes.type", mount.get("type"));
            target = text(service, "volumes.target", mount.get("target"));
            source = mount.get("source") == null ? null : text(service, "volumes.source", mount.get("source"));
            readOnly = Boolean.TRUE.equals(mount.get("read_only"));
            if (type.equals("tmpfs")) {
                tmpfs.add(target);
                return;
            }
            if (!type.equals("volume") && !type.equals("bind")) {
                throw ComposeErrors.refuse(file, service, "volumes", "a mount of type '" + type + "' is not supported; "
                        + "expected volume, bind or tmpfs.", "use a named volume.");
            }
        } else {
            String spec = text(service, "volumes", raw);
            String[] parts = spec.split(":", -1);
            if (parts.length > 3 || parts.length == 0) {
                throw ComposeErrors.refuse(file, service, "volumes", "'" + spec + "' is not a mount; expected "
                        + "SOURCE:TARGET or SOURCE:TARGET:ro.", "write for example 'pgdata:/var/lib/postgresql/data'.");
            }
            source = parts.length == 1 ? null : parts[0];
            target = parts.length == 1 ? parts[0] : parts[1];
            if (parts.length == 3) {
                readOnly = List.of(parts[2].split(",")).contains("ro");
            }
        }
        if (source == null || source.isEmpty()) {
            throw ComposeErrors.refuse(file, service, "volumes", "the mount at '" + target + "' is an anonymous volume, "
                    + "which Compose drops on 'down' and Stateful cannot keep, reset or back up; expected a named volume.",
                    "name it (for example 'data:" + target + "') and declare it under the top-level volumes.");
        }
        boolean bind = "bind".equals(type) || type == null && (source.startsWith(".") || source.startsWith("/")
                || source.startsWith("~"));
        if (bind) {
            String expanded = source.startsWith("~") ? System.getProperty("user.home") + source.substring(1) : source;
            Path host = folder.resolve(expanded).normalize();
            if (!Files.exists(host)) {
                throw ComposeErrors.refuse(file, service, "volumes", "the bind mount's source '" + source + "' ("
                        + host + ") does not exist; expected a file or folder, resolved against the compose file's folder.",
                        "create it, or correct the path.");
            }
            volumes.add(new VolumeMount(VolumeMount.Kind.BIND, host.toString(), target, readOnly));
            return;
        }
        if (!declaredVolumes.contains(source)) {
            throw ComposeErrors.refuse(file, service, "volumes", "the named volume '" + source + "' is not declared "
                    + "under the top-level volumes; expected one of " + declaredVolumes + ".",
                    "add '" + source + ":' under the top-level 'volumes:' key.");
        }
        volumes.add(new VolumeMount(VolumeMount.Kind.VOLUME, source, target, readOnly));
    }

    private PortMapping port(String service, Object raw) {
        if (raw instanceof Map) {
            Map<?, ?> port = (Map<?, ?>) raw;
            String target = text(service, "ports.target", port.get("target"));
            String protocol = port.get("protocol") == null ? "tcp" : text(service, "ports.protocol", port.get("protocol"));
            return new PortMapping(portNumber(service, target, target), protocol(service, protocol, target));
        }
        String spec = text(service, "ports", raw);
        String protocol = "tcp";
        String rest = spec;
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            protocol = protocol(service, spec.substring(slash + 1), spec);
            rest = spec.substring(0, slash);
        }
        String container = rest.substring(rest.lastIndexOf(':') + 1);
        return new PortMapping(portNumber(service, container, spec), protocol);
    }

    private int portNumber(String service, String text, String spec) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ComposeErrors.refuse(file, service, "ports", "'" + spec + "' is not a port mapping Stateful supports; "
                + "expected CONTAINER_PORT, HOST_PORT:CONTAINER_PORT or IP:HOST_PORT:CONTAINER_PORT with one port from "
                + "1 to 65535 (no ranges). Stateful publishes it on 127.0.0.1 on a free port.",
                "write for example '5432' or '5432:5432'.");
    }

    private String protocol(String service, String protocol, String spec) {
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw ComposeErrors.refuse(file, service, "ports", "'" + spec + "' names protocol '" + protocol
                    + "'; expected tcp or udp.", "write for example '5432/tcp'.");
        }
        return protocol;
    }

    private void dependsOn(String service, Object value, List<ComposeService.DependsOn> dependsOn) {
        if (value instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                String other = String.valueOf(entry.getKey());
                String key = "depends_on." + other;
                Map<?, ?> options = entry.getValue() == null ? Map.of() : Values.mapping(file, service, key, entry.getValue());
                String condition = options.get("condition") == null ? "service_started"
                        : text(service, key + ".condition", options.get("condition"));
                if (!CONDITIONS.contains(condition)) {
                    throw ComposeErrors.refuse(file, service, key + ".condition", "condition '" + condition
                            + "' is unknown; expected one of service_started, service_healthy, "
                            + "service_completed_successfully.", "use one of them.");
                }
                dependsOn.add(new ComposeService.DependsOn(other, condition));
            }
            return;
        }
        for (Object other : Values.list(file, service, "depends_on", value, false)) {
            dependsOn.add(new ComposeService.DependsOn(text(service, "depends_on", other), "service_started"));
        }
    }

    private Healthcheck healthcheck(String service, Object value) {
        Map<?, ?> check = Values.mapping(file, service, "healthcheck", value);
        List<String> test = List.of();
        Duration interval = Duration.ofSeconds(30);
        Duration timeout = Duration.ofSeconds(30);
        Duration startPeriod = Duration.ZERO;
        int retries = 3;
        for (Map.Entry<?, ?> entry : check.entrySet()) {
            String key = "healthcheck." + entry.getKey();
            Object v = entry.getValue();
            switch (String.valueOf(entry.getKey())) {
                case "test":
                    if (v instanceof List) {
                        test = argv(service, key, v);
                        if (test.isEmpty() || !Set.of("CMD", "CMD-SHELL", "NONE").contains(test.get(0))) {
                            throw ComposeErrors.refuse(file, service, key, "the test " + test + " does not start with "
                                    + "CMD, CMD-SHELL or NONE.", "write for example [\"CMD\", \"pg_isready\"].");
                        }
                    } else {
                        test = List.of("CMD-SHELL", text(service, key, v));
                    }
                    break;
                case "disable":
                    if (Boolean.TRUE.equals(v)) {
                        test = List.of("NONE");
                    }
                    break;
                case "interval":
                    interval = duration(service, key, v);
                    break;
                case "timeout":
                    timeout = duration(service, key, v);
                    break;
                case "start_period":
                    startPeriod = duration(service, key, v);
                    break;
                case "retries":
                    String r = text(service, key, v);
                    if (!r.matches("\\d{1,4}")) {
                        throw ComposeErrors.refuse(file, service, key, "'" + r + "' is not a number of retries; "
                                + "expected a whole number.", "write for example 'retries: 5'.");
                    }
                    retries = Integer.parseInt(r);
                    break;
                default:
                    throw ComposeErrors.refuse(file, service, key, "'" + entry.getKey() + "' is not supported; expected "
                            + "test, interval, timeout, retries, start_period or disable.", "remove it.");
            }
        }
        if (test.isEmpty()) {
            throw ComposeErrors.refuse(file, service, "healthcheck.test", "the healthcheck has no test; expected the "
                    + "command that tells whether the service is ready.", "add for example test: [\"CMD\", \"pg_isready\"].");
        }
        return new Healthcheck(test, interval, timeout, retries, startPeriod);
    }

    private Duration duration(String service, String key, Object value) {
        String text = text(service, key, value);
        Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            double amount = Double.parseDouble(m.group(1));
            double nanosPerUnit = switch (m.group(2)) {
                case "h" -> 3.6e12;
                case "m" -> 6e10;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us" -> 1e3;
                default -> 1;
            };
            total = total.plusNanos((long) (amount * nanosPerUnit));
            at = m.end();
        }
        if (at == 0 || at != text.length()) {
            throw ComposeErrors.refuse(file, service, key, "'" + text + "' is not a duration; expected for example "
                    + "10s, 1m30s or 500ms.", "write the duration with its unit.");
        }
        return total;
    }
}
