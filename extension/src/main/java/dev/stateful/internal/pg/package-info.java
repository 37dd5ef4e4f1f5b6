/**
 * Not API. Postgres knowledge: argv arrays for {@code psql}/{@code pg_dump}/{@code pg_restore},
 * readiness on a first start and on an initialised volume, reading dumps' tables of contents,
 * and which tool errors a restore may tolerate. Quoting of identifiers and literals.
 */
package dev.stateful.internal.pg;
