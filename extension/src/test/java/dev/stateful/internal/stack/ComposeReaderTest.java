package dev.stateful.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stateful.error.ComposeFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading compose files: the supported keys, interpolation, and every refusal before anything is created. */
class ComposeReaderTest {
    private static final String SHOP = String.join("\n",
            "version: '3.8'",
            "x-common: &common",
            "  restart: unless-stopped",
            "services:",
            "  app:",
            "    image: ${APP_IMAGE:-postgres:17-trixie}",
            "    build: ./app",
            "    entrypoint: [\"sleep\"]",
            "    command: \"infinity 'two words'\"",
            "    depends_on:",
            "      orders: {condition: service_healthy}",
            "      cache:",
            "        condition: service_started",
            "    volumes:",
            "      - uploads:/srv/uploads",
            "      - logs:/srv/logs",
            "      - ./config:/etc/app:ro",
            "      - type: bind",
            "        source: ./config/app.properties",
            "        target: /etc/app.properties",
            "        read_only: true",
            "    tmpfs: /tmp",
            "    labels: {team: shop}",
            "    <<: *common",
            "  orders:",
            "    image: ${STATEFUL_IMAGE:-postgres:17}",
            "    env_file: db.env",
            "    environment:",
            "      POSTGRES_DB: orders",
            "      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD}",
            "      PRICE: $$5",
            "      FROM_HOST:",
            "    ports: [\"5432\", \"127.0.0.1:15432:5432/tcp\"]",
            "    volumes: [\"pgdata:/var/lib/postgresql/data\"]",
            "    healthcheck:",
            "      test: [\"CMD\", \"pg_isready\", \"-U\", \"postgres\"]",
            "      interval: 1s",
            "      timeout: 1m30s",
            "      retries: 30",
            "      start_period: 500ms",
            "  cache:",
            "    image: redis:7-bookworm",
            "    command: [redis-server, --appendonly, \"yes\"]",
            "    environment: [\"MODE=${MODE}\", \"FROM_HOST\"]",
            "    ports: [{target: 6379, published: 16379}]",
            "    volumes: [\"redisdata:/data\"]",
            "    healthcheck: {test: redis-cli ping}",
            "volumes:",
            "  pgdata:",
            "  redisdata: {name: shop-redis, labels: {a: b}}",
            "  uploads: {}",
            "  logs: {driver: local}",
            "");

    @TempDir
    Path dir;

    private final Map<String, String> env = new java.util.HashMap<>(Map.of("DB_PASSWORD", "s3cret", "FROM_HOST", "h"));

    @Test
    void readsEveryKeyOfTheShopStackInDependsOnOrder() throws IOException {
        Path file = shop();
        Files.writeString(dir.resolve(".env"), "# comment\nMODE=\"from-dotenv\"\nDB_PASSWORD=ignored\n");
        env.put("STATEFUL_IMAGE", "postgres:17-trixie");

        ComposeProject project = read(file);

        assertThat(project.services().keySet()).containsExactly("orders", "cache", "app");
        assertThat(project.volumes().keySet()).containsExactly("pgdata", "redisdata", "uploads", "logs");
        assertThat(project.volumes().get("redisdata").name()).contains("shop-redis");

        ComposeService orders = project.services().get("orders");
        assertThat(orders.image()).isEqualTo("postgres:17-trixie");
        assertThat(orders.environment()).containsExactlyInAnyOrderEntriesOf(Map.of("POSTGRES_DB", "orders",
                "POSTGRES_PASSWORD", "s3cret", "PRICE", "$5", "FROM_HOST", "h", "POSTGRES_USER", "shop",
                "LOCALE", "C"));
        assertThat(orders.ports()).containsExactly(new PortMapping(5432, "tcp"), new PortMapping(5432, "tcp"));
        assertThat(orders.volumes()).containsExactly(
                new VolumeMount(VolumeMount.Kind.VOLUME, "pgdata", "/var/lib/postgresql/data", false));
        assertThat(orders.healthcheck()).contains(new Healthcheck(List.of("CMD", "pg_isready", "-U", "postgres"),
                Duration.ofSeconds(1), Duration.ofSeconds(90), 30, Duration.ofMillis(500)));

        ComposeService cache = project.services().get("cache");
        assertThat(cache.command()).containsExactly("redis-server", "--appendonly", "yes");
        assertThat(cache.environment()).containsEntry("MODE", "from-dotenv").containsEntry("FROM_HOST", "h");
        assertThat(cache.ports()).containsExactly(new PortMapping(6379, "tcp"));
        assertThat(cache.healthcheck().orElseThrow().test()).containsExactly("CMD-SHELL", "redis-cli ping");

        ComposeService app = project.services().get("app");
        assertThat(app.image()).isEqualTo("postgres:17-trixie");
        assertThat(app.entrypoint()).containsExactly("sleep");
        assertThat(app.command()).containsExactly("infinity", "two words");
        assertThat(app.dependsOn()).containsExactly(new ComposeService.DependsOn("orders", "service_healthy"),
                new ComposeService.DependsOn("cache", "service_started"));
        assertThat(app.volumes()).containsExactly(
                new VolumeMount(VolumeMount.Kind.VOLUME, "uploads", "/srv/uploads", false),
                new VolumeMount(VolumeMount.Kind.VOLUME, "logs", "/srv/logs", false),
                new VolumeMount(VolumeMount.Kind.BIND, dir.resolve("config").toString(), "/etc/app", true),
                new VolumeMount(VolumeMount.Kind.BIND, dir.resolve("config/app.properties").toString(),
                        "/etc/app.properties", true));
        assertThat(app.tmpfs()).containsExactly("/tmp");
    }

    @Test
    void theEnvironmentWinsOverTheDotEnvFile() throws IOException {
        Path file = shop();
        Files.writeString(dir.resolve(".env"), "MODE=from-dotenv\nAPP_IMAGE=app:dotenv\n");
        env.put("MODE", "from-env");

        ComposeProject project = read(file);

        assertThat(project.services().get("cache").environment()).containsEntry("MODE", "from-env");
        assertThat(project.services().get("app").image()).isEqualTo("app:dotenv");
    }

    @Test
    void aSubsetBringsWhatItDependsOn() throws IOException {
        Path file = shop();
        env.put("MODE", "m");
        ComposeProject project = read(file);

        assertThat(project.select(List.of("cache")).services().keySet()).containsExactly("cache");
        assertThat(project.select(List.of("cache")).volumes().keySet()).containsExactly("redisdata");
        assertThat(project.select(List.of("app")).services().keySet()).containsExactly("orders", "cache", "app");
        refusal(() -> project.select(List.of("web")), null, "services")
                .hasMessageContaining("service 'web' was asked for, but the file has no such service; expected one of [orders, cache, app].");
    }

    @Test
    void refusesAnUnsetVariableWithoutDefault() throws IOException {
        Path file = shop();
        refusal(() -> read(file), "cache", "environment.MODE")
                .hasMessageContaining("variable 'MODE' is not set and has no default; expected it in the environment or in the .env file")
                .hasMessageEndingWith("Fix: set MODE, or give a default: ${MODE:-value}.");
    }

    @Test
    void refusesARequiredVariableWithItsMessage() throws IOException {
        Path file = shop();
        env.put("MODE", "m");
        env.remove("DB_PASSWORD");
        refusal(() -> read(file), "orders", "environment.POSTGRES_PASSWORD")
                .hasMessageContaining("variable 'DB_PASSWORD' is not set, and the file requires it: set DB_PASSWORD.");
    }

    @Test
    void refusesABuildOnlyService() throws IOException {
        Path file = write("services:\n  web:\n    build: .\n");
        refusal(() -> read(file), "web", "build")
                .hasMessage("Compose file '" + file + "', service 'web', key 'build': the service has only 'build:' and no "
                        + "'image:'; Stateful runs images and does not build them. Fix: build the image before the test "
                        + "(docker compose build), and add 'image:' with its name to the service.");
    }

    @Test
    void refusesAnUndeclaredNamedVolume() throws IOException {
        Path file = write("services:\n  db:\n    image: postgres:17\n    volumes: [pgdata:/var/lib/postgresql/data]\n"
                + "volumes:\n  other:\n");
        refusal(() -> read(file), "db", "volumes")
                .hasMessageContaining("the named volume 'pgdata' is not declared under the top-level volumes; expected one of [other].");
    }

    @Test
    void refusesAFileThatIsNotYaml() throws IOException {
        Path file = write("services:\n  db: {image: postgres\n  bad: [\n");
        refusal(() -> read(file), null, null).hasMessageContaining("the file is not valid YAML at line");
        Path text = write("just some text");
        refusal(() -> read(text), null, null).hasMessageContaining("the file is not a compose file: its top level is a string;");
        Path binary = dir.resolve("binary.yml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        refusal(() -> read(binary), null, null).hasMessageContaining("the file is not UTF-8 text, so it is not YAML");
        Path duplicate = write("services:\n  db: {image: a}\n  db: {image: b}\n");
        refusal(() -> read(duplicate), null, null).hasMessageContaining("duplicate key db");
        Path missing = dir.resolve("missing.yml");
        refusal(() -> read(missing), null, null).hasMessageContaining("the file cannot be read (");
    }

    @Test
    void refusesBehaviourChangingKeysByNameAndIgnoresTheOthers() throws IOException {
        Path user = write("services:\n  db:\n    image: postgres:17\n    restart: always\n    user: \"999\"\n");
        refusal(() -> read(user), "db", "user")
                .hasMessageContaining("'user' is not supported by Stateful and would change what the service does; expected only image,");
        Path external = write("services:\n  db:\n    image: postgres:17\n    volumes: [d:/data]\nvolumes:\n  d: {external: true}\n");
        refusal(() -> read(external), null, "volumes.d.external").hasMessageContaining("an external volume belongs to someone else");
        Path secrets = write("services:\n  db: {image: postgres:17}\nsecrets: {}\n");
        refusal(() -> read(secrets), null, "secrets").hasMessageContaining("the top-level key 'secrets' is not supported");
        Path ignored = write("version: '2'\nname: shop\nnetworks: {}\nservices:\n  db:\n    image: postgres:17\n"
                + "    container_name: db\n    restart: always\n    logging: {driver: none}\n    x-note: hi\n");
        assertThat(read(ignored).services()).containsOnlyKeys("db");
    }

    @Test
    void refusesWhatWouldLoseDataOrNotStart() throws IOException {
        Path anonymous = write("services:\n  db:\n    image: postgres:17\n    volumes: [/var/lib/postgresql/data]\n");
        refusal(() -> read(anonymous), "db", "volumes").hasMessageContaining("is an anonymous volume");
        Path bind = write("services:\n  db:\n    image: postgres:17\n    volumes: [./nowhere:/data]\n");
        refusal(() -> read(bind), "db", "volumes").hasMessageContaining("the bind mount's source './nowhere' (");
        Path cycle = write("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n");
        refusal(() -> read(cycle), "a", "depends_on").hasMessageContaining("in a circle (a -> b -> a)");
        Path unknown = write("services:\n  a: {image: x, depends_on: [c]}\n");
        refusal(() -> read(unknown), "a", "depends_on").hasMessageContaining("service 'c' is not in the file");
        Path range = write("services:\n  a: {image: x, ports: [\"8000-8010:8000-8010\"]}\n");
        refusal(() -> read(range), "a", "ports").hasMessageContaining("(no ranges)");
        Path noImage = write("services:\n  a: {command: [x]}\n");
        refusal(() -> read(noImage), "a", "image").hasMessageContaining("the service names no image");
        Path badSubstitution = write("services:\n  a: {image: \"x:${}\"}\n");
        refusal(() -> read(badSubstitution), "a", "image").hasMessageContaining("is not a valid substitution");
        Path badEnvFile = write("services:\n  a: {image: x, env_file: missing.env}\n");
        refusal(() -> read(badEnvFile), "a", "env_file").hasMessageContaining("the env file '");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refusal(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String service, String key) {
        AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(call)
                .isInstanceOf(ComposeFileException.class).hasMessageStartingWith("Compose file '")
                .hasMessageContaining(" Fix: ");
        thrown.satisfies(e -> {
            ComposeFileException c = (ComposeFileException) e;
            assertThat(c.service()).isEqualTo(Optional.ofNullable(service));
            assertThat(c.key()).isEqualTo(Optional.ofNullable(key));
        });
        return thrown;
    }

    private ComposeProject read(Path file) {
        return ComposeReader.read(file, name -> Optional.ofNullable(env.get(name)));
    }

    private Path shop() throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/app.properties"), "a=b\n");
        Files.writeString(dir.resolve("db.env"), "POSTGRES_USER=shop\nLOCALE='C'\nPOSTGRES_DB=overridden\n");
        return write(SHOP);
    }

    private int files;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("compose-" + files++ + ".yml");
        Files.writeString(file, yaml);
        return file;
    }
}
