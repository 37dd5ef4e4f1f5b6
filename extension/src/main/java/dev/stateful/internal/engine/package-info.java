/**
 * Not API. The one way to talk to Docker: every container, volume, exec and archive call goes
 * through {@link dev.stateful.internal.engine.DockerEngine} (docker-java is imported nowhere else),
 * each with a deadline; labels, the sweep of leftovers, streamed tars and pipes.
 */
package dev.stateful.internal.engine;
