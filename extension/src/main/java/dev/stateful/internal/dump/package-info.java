/**
 * Not API: the implementation of {@link dev.stateful.dump}. {@code Dumps} restores and writes
 * {@code pg_dump} files of any format inside the container, {@code DumpMessages} words its errors.
 * These classes may change in any release.
 */
package dev.stateful.internal.dump;
