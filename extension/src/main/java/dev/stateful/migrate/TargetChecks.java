package dev.stateful.migrate;

import dev.stateful.error.InvalidArgumentException;
import dev.stateful.error.MigrationException;
import java.util.List;
import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Every check of a migration target, in one place and with one message per mistake: its form
 * (a Flyway version, a Liquibase tag or a migrator's target, or {@code latest}), whether the
 * source holds it (checked before anything starts when that needs no database, and again
 * against the history once the database is there), and whether it lies ahead of the current
 * version.
 */
final class TargetChecks {
    private static final Pattern VERSION = Pattern.compile("[0-9]+([._][0-9]+)*");

    private TargetChecks() {
    }

    /**
     * Check the form of a target.
     *
     * @param what the setting or method, for the message: {@code target}, {@code migrateTo}
     * @param value the target as given
     * @param kind the tool: Flyway wants a version, the others any non-blank text
     * @return the stripped target, or {@value MigrationSettings#LATEST}
     * @throws InvalidArgumentException when it is not a target of that tool
     */
    static String parse(String what, String value, MigrationSource.Kind kind) {
        if (kind == MigrationSource.Kind.FLYWAY) {
            return version(what, value, true);
        }
        if (value == null || value.isBlank()) {
            throw new InvalidArgumentException(what + " '" + value + "' is invalid; expected a tag or 'latest'. "
                    + "Fix: pass a tag of the changelog, or 'latest'.");
        }
        String v = value.strip();
        return MigrationSettings.LATEST.equalsIgnoreCase(v) ? MigrationSettings.LATEST : v;
    }

    /**
     * Check a Flyway version, such as a baseline version.
     *
     * @param what the setting, for the message
     * @param version the version as given
     * @param latestAllowed whether {@code latest} is a valid value
     * @return the stripped version, or {@value MigrationSettings#LATEST}
     */
    static String version(String what, String version, boolean latestAllowed) {
        String v = version == null ? "" : version.strip();
        if (latestAllowed && MigrationSettings.LATEST.equalsIgnoreCase(v)) {
            return MigrationSettings.LATEST;
        }
        if (!VERSION.matcher(v).matches()) {
            throw new InvalidArgumentException(what + " version '" + version + "' is invalid; expected a migration "
                    + "version such as 3 or 2.1" + (latestAllowed ? " (or 'latest')" : "")
                    + ". Fix: use the part of the script name between 'V' and '__', for example 3 for "
                    + "V3__add_index.sql.");
        }
        return v;
    }

    /**
     * Check, before anything starts and without a database, that the source holds the target:
     * for Flyway the script names in the locations' directories (when there are any), for
     * Liquibase the changelog's tags (the changelog is found and parsed also for {@code latest});
     * a migrator image's targets are its own business.
     *
     * @param settings the settings, the source among them
     * @param target the target, or {@code latest}
     */
    static void checkBeforeStart(MigrationSettings settings, String target) {
        String checked = parse("target", target, settings.source().kind());
        switch (settings.source().kind()) {
            case FLYWAY -> {
                if (!MigrationSettings.LATEST.equals(checked)) {
                    FlywayScripts.versions(settings.locations()).ifPresent(versions -> checkVersionKnown(checked,
                            settings.locations(), sorted(versions), false));
                }
            }
            case LIQUIBASE -> {
                Changelogs.require(settings);
                List<String> tags = ChangelogFiles.tags(settings);
                if (!MigrationSettings.LATEST.equals(checked)) {
                    checkTag(settings.changelog().orElseThrow(), checked, tags);
                }
            }
            case IMAGE -> {
                // The image keeps its own history and targets.
            }
        }
    }

    /**
     * Fail when a Flyway target is neither among the versions the locations hold nor applied.
     *
     * @param target the target version
     * @param locations the locations, for the message
     * @param available the versions the locations hold, in order
     * @param inHistory whether the history records the target as applied (a baseline, a script since deleted)
     */
    static void checkVersionKnown(String target, List<String> locations, List<String> available, boolean inHistory) {
        MigrationVersion wanted = MigrationVersion.fromVersion(target);
        if (!inHistory && available.stream().noneMatch(v -> MigrationVersion.fromVersion(v).equals(wanted))) {
            throw new MigrationException(MigrationMessages.unknownTarget(target, locations, available));
        }
    }

    /** Fail when a Flyway target lies below the current version: Flyway migrates forward only. */
    static void checkForward(String database, String target, String current) {
        if (current != null && MigrationVersion.fromVersion(target).compareTo(MigrationVersion.fromVersion(current)) < 0) {
            throw new MigrationException(MigrationMessages.backwards(database, target, current));
        }
    }

    /** Fail when a Liquibase target is not among the changelog's tags, listing them. */
    static void checkTag(String changelog, String target, List<String> tags) {
        if (tags.contains(target)) {
            return;
        }
        String fix = tags.isEmpty()
                ? "the changelog has no tagDatabase changeset at all; migrate to 'latest', or add a changeset with "
                        + "tagDatabase tag: " + target + " where that state ends."
                : "use one of these tags (they are case-sensitive), or 'latest'.";
        throw new MigrationException("Liquibase tag '" + target + "' is not in changelog '" + changelog
                + "'; its tags are " + tags + ". Fix: " + fix);
    }

    private static List<String> sorted(List<String> versions) {
        return versions.stream().map(MigrationVersion::fromVersion).distinct().sorted()
                .map(MigrationVersion::getVersion).toList();
    }
}
