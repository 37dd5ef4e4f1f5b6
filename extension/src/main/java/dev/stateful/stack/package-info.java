/**
 * A compose file's services on named volumes of their own: {@link dev.stateful.stack.StatefulStack}
 * (up, down, down with volumes, close), each service as a {@link dev.stateful.stack.StackService}
 * (restart, stop, kill, recreate, exec), Postgres services as full
 * {@link dev.stateful.StatefulPostgres} handles, and a {@link dev.stateful.stack.StackFingerprint}
 * of every store: Postgres tables, every Redis key (read with Jedis, only here), the files of
 * every other service's named volumes.
 */
package dev.stateful.stack;
