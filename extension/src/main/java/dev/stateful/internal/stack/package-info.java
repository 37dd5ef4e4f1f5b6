/**
 * Not API: reading a compose file for {@code dev.stateful.stack}. {@link dev.stateful.internal.stack.ComposeReader}
 * parses it with SnakeYAML (the only package that uses it) into a {@link dev.stateful.internal.stack.ComposeProject},
 * interpolating {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR:?message}} from the environment and the
 * {@code .env} file beside it ({@link dev.stateful.internal.stack.Interpolation}); everything it refuses is refused
 * here, before anything is created, as a {@link dev.stateful.error.ComposeFileException} naming file, service and key.
 */
package dev.stateful.internal.stack;
