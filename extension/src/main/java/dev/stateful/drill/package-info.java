/**
 * Restore drills: back up a database, destroy it, restore it into a fresh server, verify it, and
 * report each step with its duration ({@link dev.stateful.drill.RestoreDrill},
 * {@link dev.stateful.drill.DrillReport}), keep one line per run in a history
 * ({@link dev.stateful.drill.DrillHistory}) and fail above a recovery time objective. The command line and HTML rendering are in the
 * {@code stateful-drill} module.
 */
package dev.stateful.drill;
