package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Say where migrations are and how to run them: an immutable value, changed with
 * {@code with...} methods that return a copy.
 *
 * <pre>{@code
 * MigrationSettings settings = MigrationSettings.defaults()
 *         .withLocations("classpath:db/migration", "filesystem:src/test/sql")
 *         .withSchemas("app")
 *         .withPlaceholder("owner", "app_owner")
 *         .withBaselineOnMigrate(true);
 * db.migrations().withSettings(settings).migrate();
 * }</pre>
 *
 * <p>Defaults: location {@value #DEFAULT_LOCATION}, the connection's default schema
 * ({@code public}), no placeholders, no baseline, history table {@value #DEFAULT_TABLE}, and
 * no target (the latest version).
 */
public final class MigrationSettings {
    /** Where migrations are looked for unless told otherwise, as in Flyway. */
    public static final String DEFAULT_LOCATION = "classpath:db/migration";
    /** Flyway's history table. */
    public static final String DEFAULT_TABLE = "flyway_schema_history";
    /** The target that means "the newest version the locations hold". */
    public static final String LATEST = "latest";

    private static final MigrationSettings DEFAULTS = new MigrationSettings(List.of(DEFAULT_LOCATION), List.of(),
            Map.of(), false, "1", null, DEFAULT_TABLE, MigrationSource.FLYWAY);
    private static final Pattern PLACEHOLDER_KEY = Pattern.compile("[A-Za-z0-9_.:-]+");

    private final List<String> locations;
    private final List<String> schemas;
    private final Map<String, String> placeholders;
    private final boolean baselineOnMigrate;
    private final String baselineVersion;
    private final String target;
    private final String table;
    private final MigrationSource source;

    private MigrationSettings(List<String> locations, List<String> schemas, Map<String, String> placeholders,
            boolean baselineOnMigrate, String baselineVersion, String target, String table, MigrationSource source) {
        this.locations = locations;
        this.schemas = schemas;
        this.placeholders = placeholders;
        this.baselineOnMigrate = baselineOnMigrate;
        this.baselineVersion = baselineVersion;
        this.target = target;
        this.table = table;
        this.source = source;
    }

    /**
     * Return the defaults: {@value #DEFAULT_LOCATION}, to the latest version.
     *
     * @return the default settings
     */
    public static MigrationSettings defaults() {
        return DEFAULTS;
    }

    /**
     * Replace the locations.
     *
     * @param values Flyway locations: {@code classpath:db/migration},
     *     {@code filesystem:src/main/sql}, or a bare path (on the classpath)
     * @return a copy with these locations
     */
    public MigrationSettings withLocations(String... values) {
        List<String> list = nonEmpty("locations", values, "classpath:db/migration");
        for (String location : list) {
            if (location.startsWith("file:")) {
                throw new InvalidArgumentException("migration location '" + location + "' is invalid; expected "
                        + "'classpath:' or 'filesystem:' (Flyway's prefixes). Fix: write 'filesystem:"
                        + location.substring("file:".length()) + "'.");
            }
        }
        return new MigrationSettings(list, schemas, placeholders, baselineOnMigrate, baselineVersion, target, table,
                source.toFlyway());
    }

    /**
     * Set the schemas Flyway manages; the first holds the history table and becomes the
     * default schema of the migrations. Flyway creates missing ones.
     *
     * @param values schema names
     * @return a copy with these schemas
     */
    public MigrationSettings withSchemas(String... values) {
        List<String> list = values == null || values.length == 0 ? List.of() : nonEmpty("schemas", values, "app");
        return new MigrationSettings(locations, list, placeholders, baselineOnMigrate, baselineVersion, target, table,
                source);
    }

    /**
     * Replace the placeholders: {@code ${key}} in a script becomes the value.
     *
     * @param values key to value
     * @return a copy with these placeholders
     */
    public MigrationSettings withPlaceholders(Map<String, String> values) {
        Map<String, String> copy = new LinkedHashMap<>();
        Objects.requireNonNull(values, "placeholders").forEach((k, v) -> copy.put(checkKey(k), Objects.requireNonNull(v,
                "value of placeholder " + k)));
        return new MigrationSettings(locations, schemas, Collections.unmodifiableMap(copy), baselineOnMigrate,
                baselineVersion, target, table, source);
    }

    /**
     * Add one placeholder: {@code ${key}} in a script becomes the value.
     *
     * @param key placeholder name
     * @param value its value
     * @return a copy with this placeholder added
     */
    public MigrationSettings withPlaceholder(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(placeholders);
        copy.put(checkKey(key), Objects.requireNonNull(value, "value of placeholder " + key));
        return new MigrationSettings(locations, schemas, Collections.unmodifiableMap(copy), baselineOnMigrate,
                baselineVersion, target, table, source);
    }

    /**
     * Choose whether a schema that holds objects but no history table is baselined (recorded
     * as being at the baseline version, default {@code 1}) before migrating, as for a restored
     * production dump made before Flyway was used.
     *
     * @param value whether to baseline
     * @return a copy with the setting
     */
    public MigrationSettings withBaselineOnMigrate(boolean value) {
        return new MigrationSettings(locations, schemas, placeholders, value, baselineVersion, target, table, source);
    }

    /**
     * Set the version a baseline records (default {@code 1}); migrations up to it are skipped.
     *
     * @param version such as {@code 3} or {@code 2.1}
     * @return a copy with the setting
     */
    public MigrationSettings withBaselineVersion(String version) {
        return new MigrationSettings(locations, schemas, placeholders, baselineOnMigrate,
                TargetChecks.version("baselineVersion", version, false), target, table, source);
    }

    /**
     * Set the version {@code migrate()} stops at.
     *
     * @param version such as {@code 3} or {@code 2.1}, or {@value #LATEST} (or {@code null})
     *     for the newest
     * @return a copy with the target
     */
    public MigrationSettings withTarget(String version) {
        String checked = version == null ? null : TargetChecks.parse("target", version, source.kind());
        return new MigrationSettings(locations, schemas, placeholders, baselineOnMigrate, baselineVersion,
                LATEST.equals(checked) ? null : checked, table, source);
    }

    /**
     * Set the name of the history table.
     *
     * @param name a table name
     * @return a copy with the table
     */
    public MigrationSettings withTable(String name) {
        if (name == null || name.isBlank() || name.length() > 63) {
            throw new InvalidArgumentException("migration history table '" + name + "' is invalid; expected 1 to 63 "
                    + "characters. Fix: leave it at " + DEFAULT_TABLE + " or pass a table name.");
        }
        return new MigrationSettings(locations, schemas, placeholders, baselineOnMigrate, baselineVersion, target,
                name.strip(), source);
    }

    /**
     * Migrate with a Liquibase changelog instead of Flyway (Liquibase 4.x must be on the
     * classpath). The source is the last of {@code withLocations}, {@code withChangelog} and
     * {@code withImage} called.
     *
     * @param changelog {@code classpath:db/changelog/db.changelog-master.yaml},
     *     {@code filesystem:src/main/resources/db/changelog/master.xml} (relative to the working
     *     directory), or a bare path (on the classpath); XML, YAML, JSON or formatted SQL
     * @return a copy that migrates with this changelog
     */
    public MigrationSettings withChangelog(String changelog) {
        return new MigrationSettings(locations, schemas, placeholders, baselineOnMigrate, baselineVersion,
                target, table, source.toChangelog(changelog));
    }

    /**
     * Set the Liquibase contexts expression, such as {@code "faker"} or {@code "!demo"}; without
     * one every changeset runs, whatever its context (Liquibase's rule).
     *
     * @param expression a Liquibase context expression, or {@code null} or blank for none
     * @return a copy with the contexts
     */
    public MigrationSettings withContexts(String expression) {
        return new MigrationSettings(locations, schemas, placeholders, baselineOnMigrate, baselineVersion, target, table,
                source.withContexts(expression));
    }

    /**
     * Set the Liquibase labels expression, such as {@code "!slow"}; without one every changeset
     * runs, whatever its labels.
     *
     * @param expression a Liquibase label expression, or {@code null} or blank for none
     * @return a copy with the labels
     */
    public MigrationSettings withLabels(String expression) {
        return new MigrationSettings(locations, schemas, placeholders, baselineOnMigrate, baselineVersion, target, table,
                source.withLabels(expression));
    }

    /**
     * Migrate by running the application's own migrator image as a one-off container beside the
     * server instead of Flyway; see {@link Migrations} for its environment.
     *
     * @param image the image reference, such as {@code acme/orders-migrator:1.4}
     * @param command the argv given to the image (its entrypoint stays), such as
     *     {@code "alembic", "upgrade", "head"}; none keeps the image's own command
     * @return a copy that migrates with this image
     */
    public MigrationSettings withImage(String image, String... command) {
        return new MigrationSettings(locations, schemas, placeholders, baselineOnMigrate, baselineVersion,
                target, table, source.toImage(image, command));
    }

    /**
     * Replace the extra environment of a migrator image ({@code withImage}).
     *
     * @param values variable name to value; a name Stateful sets itself ({@code DATABASE_URL},
     *     {@code PGHOST}...) is rejected
     * @return a copy with this environment
     */
    public MigrationSettings withEnv(Map<String, String> values) {
        return new MigrationSettings(locations, schemas, placeholders, baselineOnMigrate, baselineVersion, target, table,
                source.withEnv(values));
    }

    /**
     * Return the Liquibase changelog, when the settings migrate with Liquibase.
     *
     * @return the changelog as given, or empty for Flyway and images
     */
    public Optional<String> changelog() {
        return source.kind() == MigrationSource.Kind.LIQUIBASE ? Optional.of(source.changelog()) : Optional.empty();
    }

    /**
     * Return the Liquibase contexts expression.
     *
     * @return the expression, or empty for none (every changeset runs)
     */
    public Optional<String> contexts() {
        return Optional.ofNullable(source.contexts());
    }

    /**
     * Return the Liquibase labels expression.
     *
     * @return the expression, or empty for none
     */
    public Optional<String> labels() {
        return Optional.ofNullable(source.labels());
    }

    /**
     * Return the migrator image, when the settings migrate with one.
     *
     * @return the image reference, or empty for Flyway and Liquibase
     */
    public Optional<String> image() {
        return source.kind() == MigrationSource.Kind.IMAGE ? Optional.of(source.image()) : Optional.empty();
    }

    /**
     * Return the migrator image's argv.
     *
     * @return the command; empty keeps the image's own
     */
    public List<String> command() {
        return source.command();
    }

    /**
     * Return the migrator image's extra environment.
     *
     * @return variable name to value
     */
    public Map<String, String> env() {
        return source.env();
    }

    /**
     * Return the locations.
     *
     * @return Flyway locations, at least one
     */
    public List<String> locations() {
        return locations;
    }

    /**
     * Return the managed schemas.
     *
     * @return schema names; empty means the connection's default schema
     */
    public List<String> schemas() {
        return schemas;
    }

    /**
     * Return the placeholders.
     *
     * @return key to value
     */
    public Map<String, String> placeholders() {
        return placeholders;
    }

    /**
     * Tell whether a non-empty schema without history is baselined first.
     *
     * @return the setting
     */
    public boolean baselineOnMigrate() {
        return baselineOnMigrate;
    }

    /**
     * Return the version a baseline records.
     *
     * @return such as {@code 1}
     */
    public String baselineVersion() {
        return baselineVersion;
    }

    /**
     * Return the target version.
     *
     * @return the version, or empty for the latest
     */
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /**
     * Return the history table's name.
     *
     * @return such as {@value #DEFAULT_TABLE}
     */
    public String table() {
        return table;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MigrationSettings s && locations.equals(s.locations) && schemas.equals(s.schemas)
                && placeholders.equals(s.placeholders) && baselineOnMigrate == s.baselineOnMigrate
                && baselineVersion.equals(s.baselineVersion) && Objects.equals(target, s.target)
                && table.equals(s.table) && source.equals(s.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(locations, schemas, placeholders, baselineOnMigrate, baselineVersion, target, table, source);
    }

    @Override
    public String toString() {
        return "MigrationSettings[locations=" + locations + ", schemas=" + schemas + ", placeholders="
                + placeholders.keySet() + ", baselineOnMigrate=" + baselineOnMigrate + ", baselineVersion="
                + baselineVersion + ", target=" + (target == null ? LATEST : target) + ", table=" + table
                + source.describe() + "]";
    }

    MigrationSource source() {
        return source;
    }

    private static List<String> nonEmpty(String what, String[] values, String example) {
        if (values == null || values.length == 0) {
            throw new InvalidArgumentException(what + " is empty; expected at least one. Fix: pass for example '"
                    + example + "'.");
        }
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new InvalidArgumentException(what + " " + Arrays.toString(values) + " holds a blank entry; "
                        + "expected non-blank names. Fix: pass for example '" + example + "'.");
            }
        }
        return Arrays.stream(values).map(String::strip).toList();
    }

    private static String checkKey(String key) {
        if (key == null || !PLACEHOLDER_KEY.matcher(key).matches()) {
            throw new InvalidArgumentException("placeholder name '" + key + "' is invalid; expected letters, digits "
                    + "and '_', such as 'owner' for ${owner}. Fix: rename the placeholder.");
        }
        return key;
    }
}
