package dev.stateful;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the extension's main code, read from its sources: no cycles, capabilities
 * that do not reach back into the handle, the drill built on handles and used by the JUnit layer
 * only, internals that know no API package but the exceptions, and each third-party library in the
 * one package that owns it.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.stateful(?:\\.[a-z]+)*)\\.[A-Z]\\w*");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");

    /** Package to the packages its code refers to. */
    private static final Map<String, Set<String>> GRAPH = new TreeMap<>();
    /** Package to the classes of other Stateful packages it refers to. */
    private static final Map<String, Set<String>> CLASSES = new TreeMap<>();
    /** Package to the third-party packages it imports. */
    private static final Map<String, Set<String>> IMPORTS = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.').replace('\\', '.');
                String code = STRING.matcher(COMMENT.matcher(read(file)).replaceAll(" ")).replaceAll("\"\"");
                Set<String> refs = GRAPH.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(code);
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        refs.add(m.group(1));
                        CLASSES.computeIfAbsent(pkg, p -> new TreeSet<>()).add(m.group());
                    }
                }
                Matcher i = IMPORT.matcher(code);
                while (i.find()) {
                    if (!i.group(1).startsWith("dev.stateful.") && !i.group(1).startsWith("java")) {
                        IMPORTS.computeIfAbsent(pkg, p -> new TreeSet<>()).add(i.group(1));
                    }
                }
            }
        }
    }

    @Test
    void thePackageGraphHasNoCycle() {
        assertThat(cycles()).as("package cycles in\n%s", describe()).isEmpty();
    }

    /**
     * The capabilities work on the {@code internal.Server} view, never on the handle: of the root
     * package they may know only the settings they are configured with.
     */
    @Test
    void capabilitiesDoNotReachBackIntoTheHandle() {
        Set<String> rootSettings = Set.of("dev.stateful.CacheMode", "dev.stateful.Setting", "dev.stateful.StatefulSettings");
        for (String capability : List.of("dev.stateful.migrate", "dev.stateful.dump", "dev.stateful.snapshot",
                "dev.stateful.internal.dump", "dev.stateful.internal.snapshot")) {
            assertThat(GRAPH.getOrDefault(capability, Set.of())).as("%s depends on %s", capability, GRAPH.get(capability))
                    .doesNotContain("dev.stateful.junit", "dev.stateful.assertj", "dev.stateful.cache", "dev.stateful.drill");
            assertThat(CLASSES.getOrDefault(capability, Set.of())).as("%s refers to %s", capability, CLASSES.get(capability))
                    .filteredOn(c -> c.startsWith("dev.stateful.") && c.lastIndexOf('.') == "dev.stateful".length())
                    .allMatch(rootSettings::contains);
        }
    }

    /**
     * The state cache starts a handle ({@code cache.start(db, key, build)}): it is built on the root
     * package, as the drill is, and reaches the handle's server through the internal seam only. The
     * root package does not know it, and of the other API packages it knows none.
     */
    @Test
    void theCacheIsBuiltOnHandles() {
        assertThat(GRAPH.get("dev.stateful.cache")).as("dev.stateful.cache depends on %s", GRAPH.get("dev.stateful.cache"))
                .doesNotContain("dev.stateful.junit", "dev.stateful.assertj", "dev.stateful.drill", "dev.stateful.migrate",
                        "dev.stateful.dump", "dev.stateful.snapshot");
        assertThat(GRAPH.get("dev.stateful")).as("dev.stateful depends on %s", GRAPH.get("dev.stateful"))
                .doesNotContain("dev.stateful.cache");
    }

    /**
     * The restore drill is not a capability of one server: it orchestrates handles (back up,
     * destroy, restore, verify, compare fingerprints), as the assertions do, so it is built on the
     * root package. In return nothing but the JUnit layer ({@code @WithVolume(drill = ...)}) uses it.
     */
    @Test
    void theDrillIsBuiltOnHandlesAndOnlyTheJUnitLayerUsesIt() {
        assertThat(GRAPH.get("dev.stateful.drill")).as("dev.stateful.drill depends on %s", GRAPH.get("dev.stateful.drill"))
                .contains("dev.stateful")
                .doesNotContain("dev.stateful.junit", "dev.stateful.assertj", "dev.stateful.cache");
        GRAPH.forEach((pkg, refs) -> {
            if (refs.contains("dev.stateful.drill")) {
                assertThat(pkg).as("%s depends on dev.stateful.drill", pkg).isEqualTo("dev.stateful.junit");
            }
        });
    }

    /**
     * Internals know no API package but the exceptions, except that the implementation of a
     * capability ({@code internal.snapshot}, {@code internal.dump}) knows the values of its own API
     * package ({@code snapshot}, {@code dump}): the API names them, the implementation works with them.
     */
    @Test
    void internalsKnowNoApiPackageButTheExceptionsAndTheirOwnCapability() {
        GRAPH.forEach((pkg, refs) -> {
            if (pkg.startsWith("dev.stateful.internal")) {
                String own = "dev.stateful." + pkg.substring("dev.stateful.internal".length()).replaceFirst("^\\.", "");
                assertThat(refs).as("%s depends on %s", pkg, refs)
                        .allMatch(r -> r.equals("dev.stateful.error") || r.startsWith("dev.stateful.internal")
                                || (!pkg.equals("dev.stateful.internal") && r.equals(own)));
            }
        });
    }

    @Test
    void eachLibraryIsUsedInTheOnePackageThatOwnsIt() {
        Map<String, String> owners = Map.of(
                "com.github.dockerjava", "dev.stateful.internal.engine",
                "org.testcontainers", "dev.stateful.internal.engine",
                "org.flywaydb", "dev.stateful.migrate",
                "liquibase", "dev.stateful.migrate",
                "org.junit", "dev.stateful.junit",
                "org.assertj", "dev.stateful.assertj",
                "org.yaml.snakeyaml", "dev.stateful.internal.stack");
        IMPORTS.forEach((pkg, imports) -> {
            for (String imported : imports) {
                owners.forEach((library, owner) -> assertThat(!imported.startsWith(library + ".") || pkg.equals(owner))
                        .as("%s imports %s; only %s may use %s", pkg, imported, owner, library).isTrue());
            }
        });
    }

    @Test
    void everyPackageSaysWhatItIsFor() {
        for (String pkg : GRAPH.keySet()) {
            Path info = SOURCES.resolve(pkg.replace('.', '/')).resolve("package-info.java");
            assertThat(info).as("package-info.java of %s", pkg).exists();
            if (pkg.startsWith("dev.stateful.internal")) {
                assertThat(read(info)).as("%s says it is not API", info).contains("Not API");
            }
        }
    }

    /** Every strongly connected group of more than one package (Tarjan). */
    private static List<Set<String>> cycles() {
        List<Set<String>> found = new ArrayList<>();
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        for (String pkg : GRAPH.keySet()) {
            if (!index.containsKey(pkg)) {
                connect(pkg, index, low, stack, onStack, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, List<Set<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : GRAPH.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }

    private static String describe() {
        return GRAPH.entrySet().stream().map(e -> "  " + e.getKey() + " -> " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
