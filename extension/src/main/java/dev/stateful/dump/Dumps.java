package dev.stateful.dump;

import java.nio.file.Path;

/**
 * The logical dumps of a handle's database, from {@code db.dumps()}: {@link #dump(Path) dump} it
 * to a file with {@code pg_dump}, {@link #restore(Path) restore} a dump of any format into it.
 * {@code pg_dump}, {@code pg_restore} and {@code psql} run inside the container, never on the host.
 *
 * <pre>{@code
 * db.dumps().restore(Path.of("src/test/resources/orders.dump"));
 * db.dumps().restore(DumpSource.of("classpath:dumps/orders.sql.gz"), RestoreOptions.defaults());
 * Path written = db.dumps().dump(Path.of("target/orders.dump"));
 * }</pre>
 */
public interface Dumps {
    /**
     * Replace the database's content by a dump's, with {@link RestoreOptions#defaults()}. The
     * format is detected from the content: custom, directory, tar, plain SQL, or gzipped.
     *
     * @param dump a dump file or directory
     * @throws dev.stateful.error.DumpException when the dump is missing or unusable, or the
     *     restore fails; the database is then left empty, never half restored
     */
    void restore(Path dump);

    /**
     * Replace the database's content by a dump's: the database is dropped and created again
     * (its sessions are ended), then {@code pg_restore} or {@code psql} restores the dump inside
     * the container.
     *
     * @param dump a dump file or directory
     * @param options ownership, privileges, jobs, analyze
     * @throws dev.stateful.error.DumpException when the dump is missing or unusable, or the
     *     restore fails; the database is then left empty, never half restored
     */
    void restore(Path dump, RestoreOptions options);

    /**
     * Replace the database's content by a dump's, found at {@code classpath:...},
     * {@code file:...} or a path.
     *
     * @param source where the dump is
     * @param options ownership, privileges, jobs, analyze
     * @throws dev.stateful.error.DumpException when the dump is missing or unusable, or the
     *     restore fails
     */
    void restore(DumpSource source, RestoreOptions options);

    /**
     * Dump the database in the custom format ({@code pg_dump -Fc}) to a file, replacing it.
     *
     * @param file the dump file; missing parent directories are created
     * @return the absolute path written
     * @throws dev.stateful.error.DumpException when pg_dump fails; nothing is written then
     */
    Path dump(Path file);

    /**
     * Dump the database in a format: a file for custom, tar and plain SQL, a new directory for
     * the directory format.
     *
     * @param target the dump file or directory
     * @param format the format
     * @return the absolute path written
     * @throws dev.stateful.error.DumpException when pg_dump fails; nothing is written then
     */
    Path dump(Path target, DumpFormat format);
}
