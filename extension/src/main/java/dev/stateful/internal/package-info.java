/**
 * Not API: internals of Stateful that may change in any release. The narrow
 * {@link dev.stateful.internal.Server} interface that capabilities work on and its implementation
 * {@link dev.stateful.internal.PostgresContainer}, the server of one handle (created by
 * {@code ContainerLauncher}, waited for by {@code ServerReadiness}); {@link dev.stateful.internal.HandleAccess},
 * through which Stateful's own packages reach a handle's server; the builder's argument checks,
 * and small helpers (passwords, volume names, login messages). Docker is in {@code internal.engine},
 * Postgres commands and readiness in {@code internal.pg}, the implementations of snapshots and dumps
 * in {@code internal.snapshot} and {@code internal.dump}.
 */
package dev.stateful.internal;
