/**
 * The restore-drill command line ({@link dev.stateful.drill.cli.DrillMain}) and its HTML report,
 * over the public API of {@code stateful-extension}.
 */
package dev.stateful.drill.cli;
