/**
 * Not API: internals of Stateful that may change in any release. The narrow
 * {@link dev.stateful.internal.Server} interface that capabilities work on and its implementation
 * {@link dev.stateful.internal.PostgresContainer}, the server of one handle (created by
 * {@code ContainerLauncher}, waited for by {@code ServerReadiness}), the builder's argument checks,
 * and small helpers (passwords, volume names, login messages). Docker is in {@code internal.engine},
 * Postgres commands and readiness in {@code internal.pg}.
 */
package dev.stateful.internal;
