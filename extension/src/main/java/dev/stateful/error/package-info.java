/**
 * The exception hierarchy: every failure Stateful reports is a {@link dev.stateful.error.StatefulException},
 * subclassed by cause (engine, image, startup, command deadline, invalid argument, migration, dump).
 * Messages name the thing, the value, what was expected and how to fix it.
 *
 * <p>A package of its own, below everything else, so that every layer can throw these without a
 * package cycle.
 */
package dev.stateful.error;
