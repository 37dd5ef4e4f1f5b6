package dev.stateful.internal.engine;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * Build an example migrator image locally, the way an application ships its migrations: FROM the
 * Postgres image the tests use (no registry), a POSIX script {@code migrate} that applies
 * {@code /migrations/NNN_name.sql} in order with {@code psql}, each in one transaction with a row
 * in its own {@code schema_version} table, and stops after {@code STATEFUL_TARGET} unless it is
 * {@code latest}. Test scope only: main code goes through {@link DockerEngine}.
 */
public final class MigratorImages {
    /** The migrator script: libpq's environment only, exit 3 for an unknown target or a failing file. */
    static final String SCRIPT = """
            #!/bin/sh
            set -eu
            target="${STATEFUL_TARGET:-latest}"
            known=no
            for f in /migrations/*.sql; do
              v=$(basename "$f" | cut -d_ -f1 | sed 's/^0*//')
              if [ "$target" = latest ] || [ "$v" = "$target" ]; then known=yes; fi
            done
            if [ "$known" != yes ]; then echo "unknown target $target" >&2; exit 3; fi
            echo "migrator ${MIGRATOR_NAME:-unnamed} to $target as $PGUSER@$PGHOST:$PGPORT/$PGDATABASE"
            psql -v ON_ERROR_STOP=1 -qc "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            current=$(psql -qtAc "SELECT coalesce(max(version), 0) FROM schema_version")
            for f in /migrations/*.sql; do
              name=$(basename "$f" .sql)
              v=$(echo "$name" | cut -d_ -f1 | sed 's/^0*//')
              if [ "$v" -le "$current" ]; then continue; fi
              echo "applying $name"
              psql -v ON_ERROR_STOP=1 -q --single-transaction -f "$f" -c "INSERT INTO schema_version (version, name) VALUES ($v, '$name')"
              if [ "$target" != latest ] && [ "$v" = "$target" ]; then break; fi
            done
            echo "reached $(psql -qtAc 'SELECT max(version) FROM schema_version')"
            """;

    private MigratorImages() {
    }

    /**
     * Build a migrator image.
     *
     * @param postgresImage the base, such as {@code postgres:17-trixie}
     * @param tag the image's tag, such as {@code stateful-test/orders-migrator:1-<unique>}
     * @param migrations file name ({@code 001_orders.sql}) to SQL
     * @return the image id
     */
    public static String build(String postgresImage, String tag, Map<String, String> migrations) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("/Dockerfile", ("FROM " + postgresImage + "\n"
                + "COPY migrate /usr/local/bin/migrate\n"
                + "COPY migrations/ /migrations/\n"
                + "RUN chmod 0755 /usr/local/bin/migrate\n").getBytes(StandardCharsets.UTF_8));
        files.put("/migrate", SCRIPT.getBytes(StandardCharsets.UTF_8));
        migrations.forEach((name, sql) -> files.put("/migrations/" + name, sql.getBytes(StandardCharsets.UTF_8)));
        DockerEngine.get();
        return DockerClientFactory.instance().client().buildImageCmd()
                .withTarInputStream(new ByteArrayInputStream(TarArchives.of(files)))
                .withTags(Set.of(tag)).withLabels(Labels.forNewResource(true))
                .withPull(false).withRemove(true).withForcerm(true)
                .exec(new BuildImageResultCallback()).awaitImageId(180, TimeUnit.SECONDS);
    }
}
