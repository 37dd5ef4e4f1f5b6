package dev.stateful.bench;

import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.StatefulSettings;
import dev.stateful.cache.CacheDirectory;
import dev.stateful.cache.StateCache;
import dev.stateful.internal.cache.DirectoryStore;
import dev.stateful.internal.cache.RegistryStore;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.engine.RegistryLayers;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Measure how a prepared state travels to a runner whose engine has no cache entry, side by
 * side in one run: the cold build (start, restore, migrate), the import from the cache directory,
 * the pull from a registry, and the local hit of an engine that has the entry. Each variant ends
 * when the handle is started in the state. The miss that writes the archive and pushes the image
 * is timed too, and the registry's transfer alone into an empty volume two ways: the engine's
 * pull and a copy out of the image, against the data layer read straight from the registry. The
 * registry is Debian's {@code docker-registry}, started on 127.0.0.1 by the benchmark (the pull
 * variants are skipped without it).
 *
 * <p>Run with {@code mvn -B -q -pl benchmarks -am verify -DskipTests -Pbench
 * -Dbench.main=dev.stateful.bench.CacheTransportBenchmarks -Dbench.args="--scale 30 --reps 2"}.
 */
public final class CacheTransportBenchmarks {
    private static final Path REGISTRY_BINARY = Path.of("/usr/bin/docker-registry");
    private final double scale;
    private final int reps;
    private final boolean registryOnly;
    private final String image = StatefulSettings.defaultImage();
    private final ResultTable table = new ResultTable();
    private String sizes = "";

    CacheTransportBenchmarks(double scale, int reps, boolean registryOnly) {
        this.scale = scale;
        this.reps = reps;
        this.registryOnly = registryOnly;
    }

    /**
     * Run the variants and print the table.
     *
     * @param args {@code --scale X} (realistic dump scale, 30), {@code --reps N} (2), {@code --out DIR},
     *     {@code --registry-only} (no directory: the miss only pushes, the import rows are left out)
     * @throws Exception when a variant fails
     */
    public static void main(String[] args) throws Exception {
        double scale = 30;
        int reps = 2;
        Path out = null;
        boolean registryOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--registry-only" -> registryOnly = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --scale X, --reps N, --out DIR or --registry-only");
            }
        }
        CacheTransportBenchmarks bench = new CacheTransportBenchmarks(scale, reps, registryOnly);
        bench.run();
        String header = String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s; image %s; realistic scale %s, "
                        + "%d reps; %s.", Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), bench.image, scale, reps, bench.sizes);
        System.out.println(header);
        System.out.println(bench.table.markdown());
        if (out != null) {
            bench.table.write(out, "cache-transport-results", header);
        }
    }

    void run() throws Exception {
        Path dir = Files.createTempDirectory("stateful-bench-cache-dir");
        Path plainDir = Files.createTempDirectory("stateful-bench-cache-plain");
        try (RealisticState state = new RealisticState(scale, image); Registry registry = Registry.start()) {
            String key = state.key();
            String repository = registry == null ? null : registry.repository("bench/stateful-cache");
            List<Long> cold = new ArrayList<>();
            List<Long> imported = new ArrayList<>();
            List<Long> importedPlain = new ArrayList<>();
            List<Long> pulled = new ArrayList<>();
            List<Long> local = new ArrayList<>();
            List<Long> throughEngine = new ArrayList<>();
            List<Long> layerRead = new ArrayList<>();
            StateCache off = new StateCache(CacheMode.OFF, StateCache.DEFAULT_MAX_ENTRIES);
            StateCache fromDir = new StateCache(CacheMode.READWRITE, StateCache.DEFAULT_MAX_ENTRIES, dir);
            StateCache fromPlainDir = new StateCache(CacheMode.READWRITE, StateCache.DEFAULT_MAX_ENTRIES, plainDir);
            StateCache fromRegistry = new StateCache(CacheMode.READWRITE, StateCache.DEFAULT_MAX_ENTRIES, null, repository);
            StateCache engineOnly = new StateCache(CacheMode.READWRITE, StateCache.DEFAULT_MAX_ENTRIES);
            String dbSize;
            long missNanos;
            try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-travel-miss").image(image).build()) {
                long started = System.nanoTime();
                new StateCache(CacheMode.READWRITE, StateCache.DEFAULT_MAX_ENTRIES, registryOnly ? null : dir, repository)
                        .start(db, key, state.buildOn(db));
                missNanos = System.nanoTime() - started;
                dbSize = Bench.sql(db, "SELECT pg_size_pretty(sum(pg_database_size(datname))) FROM pg_database");
            }
            awaitEntry(key);
            String gzipped = "";
            String uncompressed = "";
            if (registryOnly) {
                if (repository == null) {
                    throw new IllegalStateException("--registry-only needs docker-registry");
                }
                sizes = "state " + dbSize + " on the server; no archives (--registry-only)";
            } else {
                String entry = CacheDirectory.of(dir).engineEntries().stream().filter(e -> e.key().equals(key))
                        .findFirst().orElseThrow().dataVolume();
                new DirectoryStore(DockerEngine.get(), plainDir, DirectoryStore.Compression.NONE)
                        .export(image, entry, key, java.util.Map.of());
                CacheDirectory.Archive archive = CacheDirectory.of(dir).archives().get(0);
                CacheDirectory.Archive plain = CacheDirectory.of(plainDir).archives().get(0);
                sizes = String.format(Locale.ROOT, "state %s on the server, data directory %d MB; archives (WAL of the "
                                + "last checkpoint only): %d MB %s, %d MB %s", dbSize, archive.dataBytes() / 1_000_000,
                        archive.archiveBytes() / 1_000_000, archive.compression(), plain.archiveBytes() / 1_000_000,
                        plain.compression());
                gzipped = archive.compression();
                uncompressed = plain.compression();
            }
            System.out.println(sizes);
            for (int i = 0; i < reps; i++) {
                try (StatefulPostgres db = StatefulPostgres.builder().nameHint("bench-travel-cold").image(image).build()) {
                    cold.add(Bench.time(() -> off.start(db, key, state.buildOn(db))));
                }
                if (!registryOnly) {
                    state.removeEntries(); // an engine without the entry: a fresh CI runner
                    imported.add(hit(fromDir, state, key, "bench-travel-import"));
                    awaitEntry(key); // made in the background: not part of the time to a started server
                    local.add(hit(engineOnly, state, key, "bench-travel-local"));
                    state.removeEntries();
                    importedPlain.add(hit(fromPlainDir, state, key, "bench-travel-import-plain"));
                    awaitEntry(key);
                }
                if (repository != null) {
                    state.removeEntries();
                    pulled.add(hit(fromRegistry, state, key, "bench-travel-pull"));
                    awaitEntry(key);
                    if (registryOnly) {
                        local.add(hit(engineOnly, state, key, "bench-travel-local"));
                    }
                    RegistryStore store = new RegistryStore(DockerEngine.get(), repository);
                    throughEngine.add(intoFreshVolume(volume -> {
                        if (!store.pullInto(volume, key)) {
                            throw new IllegalStateException("the registry has no image of " + key);
                        }
                    }));
                    layerRead.add(intoFreshVolume(volume -> {
                        RegistryLayers.Lookup lookup = store.find(key);
                        if (lookup.status() != RegistryLayers.Status.PRESENT) {
                            throw new IllegalStateException("the layer cannot be read directly: " + lookup.reason());
                        }
                        store.unpack(lookup.layer(), image, volume);
                    }));
                }
            }
            String scenario = "a runner without the entry: realistic dump (" + Files.size(state.dump()) / 1_000_000
                    + " MB) + migrations V2..V5, " + dbSize + " on the server";
            double reference = Stats.ofNanos(cold).medianMillis();
            table.add(new ResultTable.Row(scenario, "cold build: start + restore + migrate (reference)",
                    Stats.ofNanos(cold), reference, "cache off"));
            if (!imported.isEmpty()) {
                table.add(new ResultTable.Row(scenario, "import from stateful.cache.dir (" + gzipped + ")",
                        Stats.ofNanos(imported), reference, "one read (SHA-256 while streaming), unpack into the "
                        + "class's volume, start; engine entry in the background"));
                table.add(new ResultTable.Row(scenario, "import from stateful.cache.dir (" + uncompressed + ")",
                        Stats.ofNanos(importedPlain), reference, "the same, uncompressed archive"));
            }
            if (!pulled.isEmpty()) {
                table.add(new ResultTable.Row(scenario, "pull from stateful.cache.registry", Stats.ofNanos(pulled),
                        reference, "the data layer read from the registry straight into the class's volume, start; "
                        + "engine entry in the background"));
            }
            if (!throughEngine.isEmpty()) {
                table.add(new ResultTable.Row(scenario, "registry to an empty volume: engine pull + copy",
                        Stats.ofNanos(throughEngine), reference, "the transfer alone, no server: two writes (the "
                        + "engine unpacks the layer, a container copies it out), the local image removed"));
                table.add(new ResultTable.Row(scenario, "registry to an empty volume: the layer read straight",
                        Stats.ofNanos(layerRead), reference, "the transfer alone, no server: one write (the layer "
                        + "streamed from the registry into the volume, digest checked), what the pull row uses"));
            }
            table.add(new ResultTable.Row(scenario, "local hit (the engine has the entry)", Stats.ofNanos(local),
                    reference, "start on a copy of the engine's entry"));
            table.add(new ResultTable.Row(scenario, "the miss that fills them: build + store + "
                    + (registryOnly ? "push" : "export + push"),
                    Stats.ofNanos(List.of(missNanos)), reference, registry == null ? "no registry" : "once"));
        } finally {
            for (Path d : List.of(dir, plainDir)) {
                try (Stream<Path> files = Files.walk(d)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private interface Fill {
        void into(String volume) throws Exception;
    }

    /** Time filling a new empty volume, then remove it. */
    private static long intoFreshVolume(Fill fill) throws Exception {
        DockerEngine engine = DockerEngine.get();
        String volume = "stateful-bench-transfer-" + Long.toHexString(System.nanoTime());
        engine.createVolume(volume, Labels.forNewResource(true));
        try {
            long started = System.nanoTime();
            fill.into(volume);
            return System.nanoTime() - started;
        } finally {
            engine.removeVolume(volume);
        }
    }

    /** Wait until the engine has an entry of the key (one made in the background after an import or pull). */
    private static void awaitEntry(String key) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (DockerEngine.get().volumesLabelled(StateCache.KEY_LABEL, key).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no engine entry of " + key + " after 20 minutes");
            }
            Thread.sleep(200);
        }
    }

    private long hit(StateCache cache, RealisticState state, String key, String name) throws Exception {
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint(name).image(image).build()) {
            long started = System.nanoTime();
            if (!cache.start(db, key, state.buildOn(db))) {
                throw new IllegalStateException(name + ": expected the state from the cache, it was built");
            }
            return System.nanoTime() - started;
        }
    }

    /** Debian's reference registry on 127.0.0.1, a free port, temporary storage. */
    private static final class Registry implements AutoCloseable {
        private final Path dir;
        private final Process process;
        private final int port;

        private Registry(Path dir, Process process, int port) {
            this.dir = dir;
            this.process = process;
            this.port = port;
        }

        static Registry start() throws Exception {
            if (!Files.isExecutable(REGISTRY_BINARY)) {
                System.err.println("docker-registry is not installed: the pull variant is skipped");
                return null;
            }
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path dir = Files.createTempDirectory("stateful-bench-registry");
            Path config = dir.resolve("config.yml");
            Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                    + dir.resolve("data") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
            Process process = new ProcessBuilder(REGISTRY_BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            Registry registry = new Registry(dir, process, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL()
                            .openConnection();
                    c.setConnectTimeout(1000);
                    c.setReadTimeout(1000);
                    if (c.getResponseCode() == 200) {
                        return registry;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                Thread.sleep(100);
            }
            registry.close();
            throw new IllegalStateException("docker-registry did not answer on 127.0.0.1:" + port);
        }

        String repository(String name) {
            return "127.0.0.1:" + port + "/" + name;
        }

        @Override
        public void close() throws IOException {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
