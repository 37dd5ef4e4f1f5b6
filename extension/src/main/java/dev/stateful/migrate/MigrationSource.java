package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Say which tool migrates: Flyway (the locations), a Liquibase changelog, or the application's
 * migrator image; with the Liquibase contexts and labels and the image's argv and environment.
 * An immutable part of {@link MigrationSettings}.
 *
 * @param kind which tool
 * @param changelog the changelog as given, or {@code null}
 * @param contexts the Liquibase contexts expression, or {@code null}
 * @param labels the Liquibase labels expression, or {@code null}
 * @param image the migrator image, or {@code null}
 * @param command the migrator's argv
 * @param env the migrator's extra environment, sorted by name
 */
record MigrationSource(Kind kind, String changelog, String contexts, String labels, String image, List<String> command,
                       Map<String, String> env) {
    /** Which tool migrates. */
    enum Kind {
        /** Flyway, from the locations. */
        FLYWAY,
        /** Liquibase, from a changelog. */
        LIQUIBASE,
        /** The application's migrator image. */
        IMAGE
    }

    static final MigrationSource FLYWAY = new MigrationSource(Kind.FLYWAY, null, null, null, null, List.of(), Map.of());

    /** The variables Stateful sets for a migrator image; {@code env} may not replace them. */
    static final Set<String> RESERVED_ENV = Set.of("DATABASE_URL", "JDBC_URL", "PGHOST", "PGPORT", "PGUSER",
            "PGPASSWORD", "PGDATABASE", "STATEFUL_TARGET");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CHANGELOG_FILE = Pattern.compile("(?i).+\\.(xml|ya?ml|json|sql)");

    MigrationSource {
        command = List.copyOf(command);
        env = Collections.unmodifiableMap(new TreeMap<>(env));
    }

    MigrationSource toFlyway() {
        return new MigrationSource(Kind.FLYWAY, null, contexts, labels, null, List.of(), env);
    }

    MigrationSource toChangelog(String value) {
        String v = value == null ? "" : value.strip();
        String path = v.replaceFirst("^(classpath|filesystem):", "");
        if (v.startsWith("file:") || !CHANGELOG_FILE.matcher(path).matches()) {
            throw new InvalidArgumentException("changelog '" + value + "' is invalid; expected a Liquibase changelog "
                    + "file (.xml, .yaml, .yml, .json or .sql) as 'classpath:path', 'filesystem:path' or a bare "
                    + "classpath path. Fix: write for example 'classpath:db/changelog/db.changelog-master.yaml'.");
        }
        return new MigrationSource(Kind.LIQUIBASE, v, contexts, labels, null, List.of(), env);
    }

    MigrationSource toImage(String reference, String... argv) {
        if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidArgumentException("migrator image '" + reference + "' is invalid; expected an image "
                    + "reference such as acme/orders-migrator:1.4. Fix: name the image the deployment runs.");
        }
        List<String> args = argv == null ? List.of() : Arrays.asList(argv);
        for (String arg : args) {
            if (arg == null || arg.isEmpty()) {
                throw new InvalidArgumentException("migrator command " + args + " holds an empty argument; expected "
                        + "one argument per element, such as {\"alembic\", \"upgrade\", \"head\"}. Fix: remove it.");
            }
        }
        return new MigrationSource(Kind.IMAGE, null, contexts, labels, reference.strip(), args, env);
    }

    MigrationSource withContexts(String expression) {
        return new MigrationSource(kind, changelog, blankToNull(expression), labels, image, command, env);
    }

    MigrationSource withLabels(String expression) {
        return new MigrationSource(kind, changelog, contexts, blankToNull(expression), image, command, env);
    }

    MigrationSource withEnv(Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            String name = e.getKey();
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                throw new InvalidArgumentException("migrator env name '" + name + "' is invalid; expected letters, "
                        + "digits and '_', not starting with a digit. Fix: write for example 'ALEMBIC_CONFIG=/app/a.ini'.");
            }
            if (RESERVED_ENV.contains(name)) {
                throw new InvalidArgumentException("migrator env '" + name + "' is set by Stateful; expected other "
                        + "names than " + RESERVED_ENV.stream().sorted().toList() + ". Fix: read " + name + " in the migrator as Stateful sets it, or use another name.");
            }
            if (e.getValue() == null) {
                throw new InvalidArgumentException("migrator env '" + name + "' has no value; expected NAME=value. "
                        + "Fix: give it a value (an empty one is fine).");
            }
        }
        return new MigrationSource(kind, changelog, contexts, labels, image, command, values);
    }

    /** Describe what the kind uses, for {@code MigrationSettings.toString()}; empty for plain Flyway. */
    String describe() {
        return switch (kind) {
            case FLYWAY -> "";
            case LIQUIBASE -> ", changelog=" + changelog + ", contexts=" + (contexts == null ? "" : contexts)
                    + ", labels=" + (labels == null ? "" : labels);
            case IMAGE -> ", image=" + image + ", command=" + command + ", env=" + env.keySet();
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
