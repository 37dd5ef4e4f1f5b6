package dev.stateful.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.CacheMode;
import dev.stateful.StatefulPostgres;
import dev.stateful.error.EngineException;
import dev.stateful.internal.VolumeNames;
import dev.stateful.internal.cache.RegistryStore;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.internal.engine.RegistryLayers;
import dev.stateful.testing.LocalRegistry;
import dev.stateful.testing.Sql;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that asks for a password (Debian's {@code docker-registry} with htpasswd bcrypt):
 * push and pull work with the credentials in a Docker CLI configuration directory (a
 * {@code config.json} as {@code docker login} writes it); without them, or with wrong ones, the
 * message names {@code stateful.cache.registry} and {@code docker login <host>}; the password
 * appears in no log line and no message.
 */
@Tag("docker")
class CacheRegistryCredentialsTest {
    private static final String RUN = UUID.randomUUID().toString();
    private static final String USER = "stateful-ci";
    private static final String PASSWORD = "pw-" + VolumeNames.randomHex(12);
    private static LocalRegistry registry;

    @TempDir
    Path config;

    @BeforeAll
    static void startTheRegistry() throws Exception {
        registry = LocalRegistry.startWithPassword(USER, PASSWORD);
    }

    @AfterAll
    static void stopTheRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private Path dockerLogin(String password) throws Exception {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
        Files.writeString(config.resolve("config.json"), "{\n  \"auths\": {\n    \"" + registry.host()
                + "\": {\n      \"auth\": \"" + auth + "\"\n    }\n  }\n}\n");
        return config;
    }

    /** Run {@code body} with what the loggers print (slf4j-simple writes to System.err) captured. */
    private static String logsOf(ThrowingRunnable body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        original.print(logs);
        return logs;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void pushAndPullUseTheCredentialsOfTheDockerConfiguration() throws Exception {
        String key = CacheKey.builder().part("test-run", RUN).part("case", "login").build();
        DockerEngine engine = DockerEngine.get();
        String pulled = "stateful-test-pulled-" + VolumeNames.randomHex(6);
        String unpacked = "stateful-test-unpacked-" + VolumeNames.randomHex(6);
        try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheRegistryCredentialsTest").build()) {
            db.start();
            Sql.run(db, "CREATE TABLE seeded AS SELECT g AS id FROM generate_series(1, 1000) g");
            db.stop();
            String repository = registry.repository("acme/stateful-cache");
            String logs = logsOf(() -> {
                RegistryStore withoutLogin = new RegistryStore(engine.withDockerConfig(config), repository);
                assertThatThrownBy(() -> withoutLogin.push(db.image(), db.volumeName(), key))
                        .isInstanceOf(EngineException.class)
                        .hasMessageContaining("docker login " + registry.host())
                        .hasMessageContaining(config.resolve("config.json").toString());

                RegistryStore wrong = new RegistryStore(engine.withDockerConfig(dockerLogin("not-" + PASSWORD)),
                        repository);
                assertThatThrownBy(() -> wrong.push(db.image(), db.volumeName(), key))
                        .isInstanceOf(EngineException.class)
                        .hasMessageContaining("refused the credentials in")
                        .hasMessageContaining("docker login " + registry.host());

                RegistryStore loggedIn = new RegistryStore(engine.withDockerConfig(dockerLogin(PASSWORD)), repository);
                loggedIn.push(db.image(), db.volumeName(), key);
                engine.createVolume(pulled, Labels.forNewResource(true));
                assertThat(loggedIn.pullInto(pulled, key)).as("pulled with the credentials").isTrue();
                assertThat(engine.runToCompletion(db.image(), List.of("test", "-s", "/v/PG_VERSION"),
                        Map.of(pulled, "/v"), Labels.forNewResource(true), Duration.ofMinutes(1)).succeeded())
                        .as("the pulled volume holds the data directory").isTrue();

                RegistryLayers.Lookup lookup = loggedIn.find(key);
                assertThat(lookup.status()).as("read straight from the registry, with the credentials")
                        .isEqualTo(RegistryLayers.Status.PRESENT);
                engine.createVolume(unpacked, Labels.forNewResource(true));
                loggedIn.unpack(lookup.layer(), db.image(), unpacked);
                assertThat(engine.runToCompletion(db.image(), List.of("test", "-s", "/v/PG_VERSION"),
                        Map.of(unpacked, "/v"), Labels.forNewResource(true), Duration.ofMinutes(1)).succeeded())
                        .as("the unpacked volume holds the data directory").isTrue();
                dockerLogin("not-" + PASSWORD);
                assertThat(wrong.find(key).status()).as("refused: the engine's pull says how to log in")
                        .isEqualTo(RegistryLayers.Status.UNAVAILABLE);
            });
            assertThat(logs).contains("Pushed cache entry").doesNotContain(PASSWORD);
        } finally {
            StateCache.removeQuietly(engine, pulled);
            StateCache.removeQuietly(engine, unpacked);
        }
    }

    @Test
    void withoutCredentialsTheCacheSaysHowToLogInAndBuilds() throws Exception {
        String key = CacheKey.builder().part("test-run", RUN).part("case", "no-login").build();
        DockerEngine engine = DockerEngine.get();
        StateCache cache = new StateCache(CacheMode.READWRITE, 10, null, registry.repository("acme/stateful-cache"));
        try {
            String logs = logsOf(() -> {
                try (StatefulPostgres db = StatefulPostgres.builder().nameHint("CacheRegistryCredentialsTest").build()) {
                    assertThat(cache.start(db, key, () -> Sql.run(db, "CREATE TABLE seeded (id int)")))
                            .as("built: the registry refused the pull").isFalse();
                }
            });
            assertThat(logs)
                    .contains("could not be pulled from stateful.cache.registry " + registry.repository("acme/stateful-cache"))
                    .contains("was not pushed to stateful.cache.registry")
                    .contains("docker login " + registry.host())
                    .doesNotContain(PASSWORD);
        } finally {
            assertThat(SharedEntries.awaitBackground(Duration.ofMinutes(2))).isTrue();
            engine.volumesLabelled(StateCache.KEY_LABEL, key).forEach((marker, labels) -> {
                engine.removeVolume(marker);
                engine.removeVolume(labels.get(StateCache.DATA_LABEL));
            });
        }
    }
}
