package dev.stateful.error;

import java.util.List;

/**
 * Signals that a dump could not be restored or written: the dump is missing, empty, corrupt
 * or truncated, needs roles or extensions the server lacks, or comes from a newer
 * {@code pg_dump} than the server's {@code pg_restore} reads.
 *
 * <p>The message carries the tail of the tool's standard error. A failed restore leaves the
 * target database empty (dropped and created again), never half restored.
 */
public class DumpException extends StatefulException {
    private static final long serialVersionUID = 1L;

    private final String toolOutput;
    private final List<String> missingRoles;
    private final List<String> missingExtensions;

    /**
     * Create the exception for a failure found before any tool ran.
     *
     * @param message what went wrong and how to fix it
     */
    public DumpException(String message) {
        this(message, "", List.of(), List.of(), null);
    }

    /**
     * Create the exception with its cause, for a failure found before any tool ran.
     *
     * @param message what went wrong and how to fix it
     * @param cause the underlying failure
     */
    public DumpException(String message, Throwable cause) {
        this(message, "", List.of(), List.of(), cause);
    }

    /**
     * Create the exception for a failed tool run.
     *
     * @param message what went wrong and how to fix it
     * @param toolOutput the tail of the tool's standard error
     * @param missingRoles roles the dump needs that do not exist
     * @param missingExtensions extensions the dump needs that are not installed
     * @param cause the underlying failure, or {@code null}
     */
    public DumpException(String message, String toolOutput, List<String> missingRoles, List<String> missingExtensions,
            Throwable cause) {
        super(message, cause);
        this.toolOutput = toolOutput == null ? "" : toolOutput;
        this.missingRoles = List.copyOf(missingRoles);
        this.missingExtensions = List.copyOf(missingExtensions);
    }

    /**
     * Return the tail of the tool's standard error.
     *
     * @return the text, empty when no tool ran
     */
    public String toolOutput() {
        return toolOutput;
    }

    /**
     * Return the roles the dump needs that do not exist on the server.
     *
     * @return role names, empty when none was reported
     */
    public List<String> missingRoles() {
        return missingRoles;
    }

    /**
     * Return the extensions the dump needs that are not installed on the server.
     *
     * @return extension names, empty when none was reported
     */
    public List<String> missingExtensions() {
        return missingExtensions;
    }
}
