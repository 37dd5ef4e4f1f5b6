package dev.stateful.migrate;

import java.util.Optional;

/**
 * Describe one migration script: its version (none for a repeatable {@code R__} script), its
 * description and its file name. For a Liquibase changeset the version is the changeset's id and
 * the script its changelog file.
 *
 * @param version such as {@code 3}, or {@code null} for a repeatable migration
 * @param description such as {@code add profile}
 * @param script the file name, such as {@code V3__add_profile.sql}
 */
public record Migration(String version, String description, String script) {
    /**
     * Return the version.
     *
     * @return the version, or empty for a repeatable migration
     */
    public Optional<String> versionIfAny() {
        return Optional.ofNullable(version);
    }

    /**
     * Tell whether this is a repeatable ({@code R__}) migration.
     *
     * @return {@code true} for a repeatable migration
     */
    public boolean repeatable() {
        return version == null;
    }

    @Override
    public String toString() {
        // A Liquibase changeset id (such as 20150805124838-1 or tag-v1) is shown as it is, a Flyway version as V3.
        String name = version == null ? "R" : version.matches("[0-9]+([._][0-9]+)*") ? "V" + version : version;
        return name + " " + description + " (" + script + ")";
    }
}
