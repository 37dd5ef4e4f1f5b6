package dev.stateful.internal.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a compose file into a {@link ComposeProject}, refusing, before anything is created, what
 * Stateful cannot run as written. Pure: reads the file, its {@code .env} and {@code env_file}s, and
 * checks that bind-mount sources exist; talks to nothing else.
 */
public final class ComposeReader {
    private static final Logger LOG = LoggerFactory.getLogger(ComposeReader.class);
    /** Top-level keys that change nothing a test can see. */
    private static final Set<String> IGNORED_TOP = Set.of("version", "name", "networks");

    private ComposeReader() {
    }

    /**
     * Read a compose file with the process environment.
     *
     * @param file the compose file
     * @return the project
     * @throws dev.stateful.error.ComposeFileException when Stateful refuses the file
     */
    public static ComposeProject read(Path file) {
        return read(file, name -> Optional.ofNullable(System.getenv(name)));
    }

    /**
     * Read a compose file.
     *
     * @param file the compose file
     * @param environment the variables that take precedence over the {@code .env} file beside it
     * @return the project
     * @throws dev.stateful.error.ComposeFileException when Stateful refuses the file
     */
    public static ComposeProject read(Path file, Function<String, Optional<String>> environment) {
        Map<?, ?> top = load(file);
        Path folder = file.toAbsolutePath().getParent();
        Path dotEnvFile = folder.resolve(".env");
        Map<String, String> dotEnv = Files.isRegularFile(dotEnvFile) ? EnvFiles.read(file, dotEnvFile, null, ".env") : Map.of();
        Interpolation interpolation = new Interpolation(file, environment, dotEnv);
        Object services = null;
        Object volumes = null;
        for (Map.Entry<?, ?> entry : top.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.equals("services")) {
                services = entry.getValue();
            } else if (key.equals("volumes")) {
                volumes = entry.getValue();
            } else if (IGNORED_TOP.contains(key) || key.startsWith("x-")) {
                LOG.debug("Compose file '{}': top-level key '{}' ignored; it changes nothing a test can see", file, key);
            } else {
                throw ComposeErrors.refuse(file, null, key, "the top-level key '" + key + "' is not supported by Stateful "
                        + "and would change what the stack does; expected services, volumes, and optionally version, "
                        + "name, networks or x-* extensions.", "remove '" + key + "' from the file the test reads.");
            }
        }
        if (!(services instanceof Map) || ((Map<?, ?>) services).isEmpty()) {
            throw ComposeErrors.refuse(file, null, "services", "the file has no services; expected a 'services:' mapping "
                    + "of at least one service.", "add the services the test should run.");
        }
        Map<String, ComposeVolume> declared = volumes(file, volumes, interpolation);
        ServiceReader reader = new ServiceReader(file, folder, interpolation, declared.keySet());
        Map<String, ComposeService> read = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) services).entrySet()) {
            String name = String.valueOf(entry.getKey());
            read.put(name, reader.read(name, entry.getValue()));
        }
        return new ComposeProject(file, startOrder(file, read), declared);
    }

    private static Map<?, ?> load(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw ComposeErrors.refuse(file, null, null, "the file is not UTF-8 text, so it is not YAML; expected a "
                    + "compose file.", "point the test at the docker-compose.yml of the application.");
        } catch (IOException e) {
            throw ComposeErrors.refuse(file, null, null, "the file cannot be read (" + e + "); expected a compose file "
                    + "at this path. A relative path is resolved against the working directory ("
                    + Path.of("").toAbsolutePath() + ", the module's folder under Maven).",
                    "check the path, or write 'classpath:' and a resource name.");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document;
        try {
            document = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1);
            throw ComposeErrors.refuse(file, null, null, "the file is not valid YAML" + where + " (" + e.getProblem()
                    + "); expected a compose file.", "correct the YAML (docker compose config shows the same error).");
        } catch (YAMLException e) {
            throw ComposeErrors.refuse(file, null, null, "the file is not valid YAML (" + e.getMessage()
                    + "); expected a compose file.", "correct the YAML (docker compose config shows the same error).");
        }
        if (!(document instanceof Map)) {
            throw ComposeErrors.refuse(file, null, null, "the file is not a compose file: its top level is "
                    + (document == null ? "empty" : "a " + Values.typeName(document)) + "; expected a mapping with "
                    + "'services:'.", "point the test at the docker-compose.yml of the application.");
        }
        return (Map<?, ?>) document;
    }

    private static Map<String, ComposeVolume> volumes(Path file, Object raw, Interpolation interpolation) {
        Map<String, ComposeVolume> declared = new LinkedHashMap<>();
        if (raw == null) {
            return declared;
        }
        if (!(raw instanceof Map)) {
            throw ComposeErrors.refuse(file, null, "volumes", "top-level 'volumes' is a " + Values.typeName(raw)
                    + "; expected a mapping of volume names.", "write for example 'volumes: {pgdata: {}}'.");
        }
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) raw).entrySet()) {
            String key = String.valueOf(entry.getKey());
            String where = "volumes." + key;
            Optional<String> name = Optional.empty();
            if (entry.getValue() != null && !(entry.getValue() instanceof Map)) {
                throw ComposeErrors.refuse(file, null, where, "the volume's definition is a "
                        + Values.typeName(entry.getValue()) + "; expected a mapping or nothing.", "write '" + key + ": {}'.");
            }
            Map<?, ?> options = entry.getValue() == null ? Map.of() : (Map<?, ?>) entry.getValue();
            for (Map.Entry<?, ?> option : options.entrySet()) {
                String optionKey = String.valueOf(option.getKey());
                String at = where + "." + optionKey;
                switch (optionKey) {
                    case "name":
                        name = Optional.of(interpolation.apply(Values.scalar(file, null, at, option.getValue()), null, at));
                        break;
                    case "labels":
                        LOG.debug("Compose file '{}': '{}' ignored; Stateful labels the volumes it creates", file, at);
                        break;
                    case "driver":
                        String driver = interpolation.apply(Values.scalar(file, null, at, option.getValue()), null, at);
                        if (!driver.equals("local")) {
                            throw ComposeErrors.refuse(file, null, at, "driver '" + driver + "' is not supported; "
                                    + "expected the local driver, the only one whose volumes Stateful can copy and reset.",
                                    "remove the driver from the file the test reads.");
                        }
                        break;
                    case "external":
                        throw ComposeErrors.refuse(file, null, at, "an external volume belongs to someone else, and "
                                + "Stateful runs every test class on volumes it creates (and removes) itself; expected "
                                + "a volume the file declares.", "remove 'external' from the file the test reads.");
                    default:
                        throw ComposeErrors.refuse(file, null, at, "'" + optionKey + "' is not supported by Stateful and "
                                + "would change where the data lives; expected only name, driver: local, labels.",
                                "remove '" + optionKey + "' from the file the test reads.");
                }
            }
            declared.put(key, new ComposeVolume(key, name));
        }
        return declared;
    }

    /** Services after everything they depend on, otherwise in file order; a cycle is refused. */
    private static Map<String, ComposeService> startOrder(Path file, Map<String, ComposeService> services) {
        for (ComposeService service : services.values()) {
            for (ComposeService.DependsOn dependency : service.dependsOn()) {
                if (!services.containsKey(dependency.service())) {
                    throw ComposeErrors.refuse(file, service.name(), "depends_on", "service '" + dependency.service()
                            + "' is not in the file; expected one of " + services.keySet() + ".",
                            "add the service, or remove it from depends_on.");
                }
            }
        }
        Map<String, ComposeService> ordered = new LinkedHashMap<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String name : services.keySet()) {
            visit(file, name, services, ordered, visiting);
        }
        return ordered;
    }

    private static void visit(Path file, String name, Map<String, ComposeService> services,
            Map<String, ComposeService> ordered, Set<String> visiting) {
        if (ordered.containsKey(name)) {
            return;
        }
        if (!visiting.add(name)) {
            List<String> cycle = new ArrayList<>(visiting);
            cycle = cycle.subList(cycle.indexOf(name), cycle.size());
            cycle.add(name);
            throw ComposeErrors.refuse(file, name, "depends_on", "the services depend on each other in a circle ("
                    + String.join(" -> ", cycle) + "), so none can start first.", "remove one of these dependencies.");
        }
        for (ComposeService.DependsOn dependency : services.get(name).dependsOn()) {
            visit(file, dependency.service(), services, ordered, visiting);
        }
        visiting.remove(name);
        ordered.put(name, services.get(name));
    }
}
