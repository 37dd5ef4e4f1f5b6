package dev.stateful;

import dev.stateful.error.InvalidArgumentException;

/** What the cross-run state cache may do (setting {@code stateful.cache}). */
public enum CacheMode {
    /** Never read nor write: always build. */
    OFF,
    /** Use entries, never write one. */
    READONLY,
    /** Use entries, and store what was built on a miss. */
    READWRITE;

    /**
     * Parse a setting value.
     *
     * @param name the setting's name, for the message
     * @param value {@code off}, {@code readonly} or {@code readwrite}, any case
     * @return the mode
     */
    public static CacheMode parse(String name, String value) {
        for (CacheMode mode : values()) {
            if (mode.name().equalsIgnoreCase(value.strip())) {
                return mode;
            }
        }
        throw new InvalidArgumentException(name + " '" + value + "' is invalid; expected off, readonly or readwrite. "
                + "Fix: use readwrite (the default) or off.");
    }
}
