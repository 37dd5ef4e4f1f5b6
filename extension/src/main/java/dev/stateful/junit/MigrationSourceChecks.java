package dev.stateful.junit;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.migrate.MigrationSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Check that a {@link MigratedTo @MigratedTo} names one migration source (Flyway locations, a
 * Liquibase changelog or a migrator image) and no attribute of another, before anything starts.
 */
final class MigrationSourceChecks {
    private MigrationSourceChecks() {
    }

    /**
     * Check the annotation.
     *
     * @param annotation the annotation
     * @param configured the settings of the configuration parameters (a changelog may come from there)
     * @throws InvalidArgumentException naming the attributes and the fix
     */
    static void check(MigratedTo annotation, MigrationSettings configured) {
        List<String> sources = new ArrayList<>();
        if (annotation.locations().length > 0) {
            sources.add("locations " + Arrays.toString(annotation.locations()));
        }
        if (!annotation.changelog().isBlank()) {
            sources.add("changelog '" + annotation.changelog() + "'");
        }
        if (!annotation.image().isBlank()) {
            sources.add("image '" + annotation.image() + "'");
        }
        if (sources.size() > 1) {
            throw new InvalidArgumentException("both " + String.join(" and ", sources) + " are given; expected one "
                    + "migration source: locations (Flyway), changelog (Liquibase) or image (a migrator image). Fix: "
                    + "keep one of them.");
        }
        boolean image = !annotation.image().isBlank();
        boolean liquibase = !annotation.changelog().isBlank()
                || (configured.changelog().isPresent() && annotation.locations().length == 0 && !image);
        if (!image) {
            if (annotation.command().length > 0) {
                throw misplaced("command " + Arrays.toString(annotation.command()), "a migrator image",
                        "add image = \"...\", or remove command");
            }
            if (annotation.env().length > 0) {
                throw misplaced("env " + Arrays.toString(annotation.env()), "a migrator image",
                        "add image = \"...\", or remove env");
            }
        }
        if (!liquibase) {
            if (!annotation.contexts().isBlank()) {
                throw misplaced("contexts '" + annotation.contexts() + "'", "a Liquibase changelog",
                        "add changelog = \"classpath:...\", or remove contexts");
            }
            if (!annotation.labels().isBlank()) {
                throw misplaced("labels '" + annotation.labels() + "'", "a Liquibase changelog",
                        "add changelog = \"classpath:...\", or remove labels");
            }
        }
        if (image || liquibase) {
            String source = image ? "image '" + annotation.image() + "'" : "a Liquibase changelog";
            if (annotation.schemas().length > 0) {
                throw flywayOnly("schemas " + Arrays.toString(annotation.schemas()), source);
            }
            if (annotation.placeholders().length > 0) {
                throw flywayOnly("placeholders " + Arrays.toString(annotation.placeholders()), source);
            }
            if (annotation.baselineOnMigrate()) {
                throw flywayOnly("baselineOnMigrate = true", source);
            }
        }
    }

    private static InvalidArgumentException misplaced(String attribute, String needs, String fix) {
        return new InvalidArgumentException(attribute + " is given without " + needs + "; expected it only together "
                + "with " + needs + ". Fix: " + fix + ".");
    }

    private static InvalidArgumentException flywayOnly(String attribute, String source) {
        return new InvalidArgumentException(attribute + " is a Flyway setting, but the migrations come from " + source
                + "; expected Flyway attributes only with locations. Fix: remove " + attribute.split(" ")[0] + ".");
    }
}
