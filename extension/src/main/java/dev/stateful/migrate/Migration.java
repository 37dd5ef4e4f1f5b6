package dev.stateful.migrate;

import java.util.Optional;

/**
 * Describe one migration script: its version (none for a repeatable {@code R__} script), its
 * description and its file name.
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
        return (version == null ? "R" : "V" + version) + " " + description + " (" + script + ")";
    }
}
