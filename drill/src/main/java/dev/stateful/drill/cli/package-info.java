/**
 * The restore-drill command line ({@link dev.stateful.drill.cli.DrillMain}) and its HTML report,
 * and the main job in one run for README's first command ({@link dev.stateful.drill.cli.TryIt},
 * started by {@code scripts/try-it.sh}), over the public API of {@code stateful-extension}.
 */
package dev.stateful.drill.cli;
